import {
  githubFileOf,
  githubFileWrites,
  parseShell,
  unquote,
} from '../../../actions/security-scan/src/scanners/workflows/shell.js';

/** `FILE:written text` for each write, the text being the spans joined. */
function writes(script: string): string[] {
  return githubFileWrites(script).map(
    (write) =>
      `${write.file}:${write.spans.map((span) => script.slice(span.start, span.end).trim()).join(' | ')}`,
  );
}

describe('shell reader for run: blocks', () => {
  it('splits commands on newlines, ;, && and ||, and keeps quoted operators inside words', () => {
    const commands = parseShell('a "x; y" && b \'|\' || c; d\ne $(f; g) `h | i`');
    expect(commands.map((command) => command.words.map((word) => word.raw).join(' '))).toEqual([
      'a "x; y"',
      "b '|'",
      'c',
      'd',
      'e $(f; g) `h | i`',
    ]);
  });

  it('joins line continuations and skips comments (not # inside words)', () => {
    const commands = parseShell('echo a \\\n  b # c >> $GITHUB_ENV\necho x#y');
    expect(commands.map((command) => command.words.map((word) => word.raw))).toEqual([
      ['echo', 'a', 'b'],
      ['echo', 'x#y'],
    ]);
    expect(commands[0]!.redirects).toEqual([]);
  });

  it('treats ${{ }} as one word part, even with spaces and operators inside', () => {
    const [command] = parseShell("echo ${{ github.event.issue.title || 'a; b' }}>>x");
    expect(command!.words.map((word) => word.raw)).toEqual([
      'echo',
      "${{ github.event.issue.title || 'a; b' }}",
    ]);
    expect(command!.redirects.map((redirect) => `${redirect.operator} ${redirect.target.raw}`)).toEqual([
      '>> x',
    ]);
  });

  it('reads redirections with fds and no spaces, and heredoc bodies', () => {
    const [command] = parseShell('cat 2>&1 <<-"EOF" >>"$GITHUB_ENV"\n\tA=$B\n\tEOF\necho after');
    expect(command!.redirects.map((redirect) => redirect.operator)).toEqual(['>&', '<<-', '>>']);
    expect(command!.heredocs).toHaveLength(1);
    expect(command!.heredocs[0]!.quoted).toBe(true);
    expect(parseShell('cat <<EOF\n$(not a command)\nEOF\necho after').map((c) => c.words[0]!.raw)).toEqual([
      'cat',
      'echo',
    ]);
  });

  it('unquotes words as the shell would', () => {
    expect(unquote(`"a\\"b"'c d'\\ e`)).toBe('a"bc d e');
  });

  it('names GitHub command files in every spelling, not look-alikes', () => {
    for (const spelling of [
      '$GITHUB_ENV',
      '"$GITHUB_ENV"',
      '${GITHUB_ENV}',
      '"${GITHUB_ENV}"',
      '$env:GITHUB_ENV',
    ])
      expect(githubFileOf(spelling)).toBe('GITHUB_ENV');
    expect(githubFileOf('$GITHUB_PATH')).toBe('GITHUB_PATH');
    expect(githubFileOf("'$GITHUB_OUTPUT'")).toBe('GITHUB_OUTPUT');
    for (const other of ['$GITHUB_ENV_FILE', 'GITHUB_ENV', '$GITHUB_STEP_SUMMARY', 'env.txt'])
      expect(githubFileOf(other)).toBeUndefined();
  });

  describe('writes to GITHUB_ENV / GITHUB_PATH / GITHUB_OUTPUT', () => {
    it('finds a redirection on the same line, after a line continuation, and with tee', () => {
      expect(writes('echo "A=$X" >> "$GITHUB_ENV"')).toEqual(['GITHUB_ENV:echo "A=$X" >> "$GITHUB_ENV"']);
      expect(writes('echo "A=$X" \\\n  >> $GITHUB_PATH')).toEqual([
        'GITHUB_PATH:echo "A=$X" \\\n  >> $GITHUB_PATH',
      ]);
      expect(writes('echo "A=$X" | tee -a $GITHUB_OUTPUT')).toEqual([
        'GITHUB_OUTPUT:echo "A=$X" | tee -a $GITHUB_OUTPUT',
      ]);
    });

    it('finds groups and loops redirected as a whole, with the text of the whole group', () => {
      expect(writes('{\n  echo "A=$X"\n  echo "B=1"\n} >> "$GITHUB_ENV"\necho done')).toEqual([
        'GITHUB_ENV:{\n  echo "A=$X"\n  echo "B=1"\n} >> "$GITHUB_ENV"',
        'GITHUB_ENV:{\n  echo "A=$X"\n  echo "B=1"\n} >> "$GITHUB_ENV"',
      ]);
      expect(writes('for f in a b; do\n  echo "$f"\ndone > $GITHUB_PATH')).toHaveLength(2);
      expect(writes('if true; then echo "A=1"; fi >> $GITHUB_ENV')).toHaveLength(2);
    });

    it('takes heredoc bodies as written content', () => {
      const script = 'cat <<EOF >> $GITHUB_ENV\nA=${{ inputs.a }}\nEOF\necho later';
      expect(writes(script)).toEqual(['GITHUB_ENV:cat <<EOF >> $GITHUB_ENV | A=${{ inputs.a }}']);
    });

    it('finds PowerShell writes', () => {
      expect(writes('"A=$x" >> $env:GITHUB_ENV')).toHaveLength(1);
      expect(writes('Add-Content -Path $env:GITHUB_PATH -Value $dir')).toEqual([
        'GITHUB_PATH:Add-Content -Path $env:GITHUB_PATH -Value $dir',
      ]);
    });

    it('ignores reads, quoted mentions, comments and other files', () => {
      expect(writes('cat "$GITHUB_ENV"')).toEqual([]);
      expect(writes('grep A < $GITHUB_ENV')).toEqual([]);
      expect(writes('echo ">> $GITHUB_ENV"')).toEqual([]);
      expect(writes('# echo A=1 >> $GITHUB_ENV')).toEqual([]);
      expect(writes('echo A=1 >> $GITHUB_STEP_SUMMARY')).toEqual([]);
      expect(writes('{ echo A; } > out.txt\necho B >> $GITHUB_ENV')).toEqual([
        'GITHUB_ENV:echo B >> $GITHUB_ENV',
      ]);
    });
  });
});

describe('shell reader on broken or hostile scripts', () => {
  it('reads unterminated quotes, substitutions, heredocs and groups to the end without throwing', () => {
    for (const script of [
      'echo "abc',
      "echo 'abc",
      'echo $(date',
      'echo `date',
      'cat <<EOF\nno end',
      '{ echo a',
      'x ${{ y',
    ]) {
      expect(() => githubFileWrites(`${script} >> $GITHUB_ENV`)).not.toThrow();
    }
    expect(writes('cat <<EOF >> $GITHUB_ENV\nA=1')).toEqual(['GITHUB_ENV:cat <<EOF >> $GITHUB_ENV | A=1']);
  });
  it('handles deep nesting without recursion limits', () => {
    const deep = `echo ${'$('.repeat(20000)}x${')'.repeat(20000)} >> $GITHUB_OUTPUT`;
    expect(githubFileWrites(deep).map((write) => write.file)).toEqual(['GITHUB_OUTPUT']);
  });
});
