/** An image reference split the way the registry API needs it. */
export interface ImageReference {
  /** host[:port] as written (docker.io for Docker Hub). */
  registry: string;
  repository: string;
  /** Tag or digest to ask the registry for. */
  reference: string;
}

/**
 * `host[:port]/repo[:tag][@sha256:...]`, Docker's rules: a first component without `.` or `:` (and not
 * `localhost`) is a Docker Hub repository; a digest wins over a tag. Undefined when it is not a reference.
 */
export function parseImageReference(text: string): ImageReference | undefined {
  const value = text.trim();
  if (value === '' || /\s/.test(value)) return undefined;
  const [nameAndTag, digest] = value.split('@') as [string, string | undefined];
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest)) return undefined;
  const slash = nameAndTag.indexOf('/');
  const first = slash > 0 ? nameAndTag.slice(0, slash) : '';
  const hasHost = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasHost ? first : 'docker.io';
  let path = hasHost ? nameAndTag.slice(slash + 1) : nameAndTag;
  let tag = 'latest';
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(path)) return undefined;
  if (!/^[\w][\w.-]{0,127}$/.test(tag)) return undefined;
  const repository = registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path;
  return { registry, repository, reference: digest ?? tag };
}
