/** Reading a Dockerfile in tests: its stages and their instructions. */

/** A Dockerfile's instructions by stage: continuation lines joined, comments dropped. */
export function dockerStages(text: string): Array<{ from: string; instructions: Array<{ keyword: string; args: string }> }> {
  const stages: Array<{ from: string; instructions: Array<{ keyword: string; args: string }> }> = [];
  const logical = text.replace(/\\\n\s*/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') stages.push({ from: args, instructions: [] });
    else stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}
