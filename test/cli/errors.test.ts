/** Errors where they belong and did-you-mean hints, as the built CLI prints them. */
import { describe, expect, it } from 'vitest';
import { buildout, tree } from '../engine/cli.js';

const COMMAND_PART = `[buildout]
parts = packages
[packages]
recipe = command
command = true
`;

const SUPERVISOR = `[buildout]
parts = supervisor
[supervisor]
recipe = collective.recipe.supervisor
port = 9001
loglevel = loud
programs =
    10 zeo /bin/true
`;

describe('error locations', () => {
  it('a command-line assignment is located as "command line: ASSIGNMENT"', async () => {
    const root = tree({ 'buildout.cfg': COMMAND_PART });
    // Offline: a recipe found nowhere would be fetched from the registry (test/eggs covers that).
    const recipe = await buildout(['-o', 'packages:recipe=nosuch'], root);
    expect(recipe.code).toBe(1);
    expect(recipe.stderr).toMatch(/^command line: packages:recipe=nosuch: part packages: unknown recipe 'nosuch'/);
    const reference = await buildout(['packages:command=${nowhere:x}', 'plan'], root);
    expect(reference.stderr).toMatch(/^command line: packages:command=\$\{nowhere:x\}: /);
    const parts = await buildout(['parts=pakages', 'plan'], root);
    expect(parts.stderr).toMatch(/^command line: parts=pakages: part 'pakages' is listed in parts, but there is no section \[pakages\]\n/);
  });

  it("a recipe's option error carries the option's file:line:col, or its command-line assignment", async () => {
    const root = tree({ 'buildout.cfg': SUPERVISOR });
    const fromFile = await buildout([], root);
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toMatch(/^buildout\.cfg:6:1: part supervisor, option loglevel: "loud" is not one of critical, /);
    const fromCommandLine = await buildout(['supervisor:loglevel=louder'], root);
    expect(fromCommandLine.stderr).toMatch(
      /^command line: supervisor:loglevel=louder: part supervisor, option loglevel: "louder" is not one of /,
    );
    const env = await buildout(['plan'], tree({ 'buildout.cfg': `${COMMAND_PART}env =\n    OK=1\n    not a variable\n` }));
    expect(env.stderr).toMatch(/^buildout\.cfg:6:1: part packages: env line 2 'not a variable' is not KEY=VALUE\n/);
  });

  it('-v says which configuration file is used and why', async () => {
    const root = tree({ 'buildout.cfg': COMMAND_PART, 'sub/folder/.keep': '' });
    const here = await buildout(['-v', 'plan'], root);
    expect(here.stderr).toBe(`buildout: using ${root}/buildout.cfg (buildout.cfg of the current folder)\n`);
    const below = await buildout(['-v', 'plan'], `${root}/sub/folder`);
    expect(below.stderr).toBe(
      `buildout: using ${root}/buildout.cfg (no buildout.cfg in ${root}/sub/folder; found ../../buildout.cfg above it)\n`,
    );
    const named = await buildout(['-v', '-c', 'buildout.cfg', 'plan'], root);
    expect(named.stderr).toBe(`buildout: using ${root}/buildout.cfg (-c buildout.cfg)\n`);
    expect((await buildout(['plan'], `${root}/sub/folder`)).stderr).toBe('');
  });

  it('an assignment to a section no file has is a warning, with a did-you-mean', async () => {
    const root = tree({ 'buildout.cfg': SUPERVISOR.replace('loud', 'info') });
    const result = await buildout(['supervisr:port=9999', 'elsewhere:x=1', 'supervisor:port=9002', 'plan'], root);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      [
        'buildout: warning: command line: supervisr:port=9999: no configuration file has a section [supervisr]; the assignment makes a new one (did you mean [supervisor]?)',
        'buildout: warning: command line: elsewhere:x=1: no configuration file has a section [elsewhere]; the assignment makes a new one',
        '',
      ].join('\n'),
    );
  });
});

describe('did you mean', () => {
  it('a misspelt part in parts, or on the command line', async () => {
    const root = tree({ 'buildout.cfg': COMMAND_PART.replace('parts = packages', 'parts = pakages') });
    const listed = await buildout(['plan'], root);
    expect(listed.stderr).toContain("buildout.cfg:2:1: part 'pakages' is listed in parts, but there is no section [pakages]\n");
    expect(listed.stderr).toContain(
      "  hint: did you mean 'packages'? (or define [pakages] with a recipe, or remove 'pakages' from buildout:parts)\n",
    );
    const named = await buildout(['install', 'packagse'], tree({ 'buildout.cfg': COMMAND_PART }));
    expect(named.stderr).toContain("cannot install 'packagse': there is no section [packagse]\n  hint: did you mean 'packages'?");
  });

  it('a misspelt recipe: installed recipe names and local paths', async () => {
    const root = tree({ 'buildout.cfg': COMMAND_PART, 'recipes/step.mjs': 'export default { install: () => [] };\n' });
    const bundled = await buildout(['packages:recipe=collective.recipe.supervisr', 'plan'], root);
    expect(bundled.stderr).toContain(
      "unknown recipe 'collective.recipe.supervisr' (did you mean 'collective.recipe.supervisor'?); installed recipes: ",
    );
    const command = await buildout(['packages:recipe=comand', 'plan'], root);
    expect(command.stderr).toContain("unknown recipe 'comand' (did you mean 'command'?)");
    const local = await buildout(['packages:recipe=./recipes/stpe.mjs', 'plan'], root);
    expect(local.stderr).toContain('recipe module ./recipes/stpe.mjs does not exist');
    expect(local.stderr).toContain('  hint: did you mean recipe = ./recipes/step.mjs?\n');
    // Offline: a name like no installed recipe would be fetched from the registry.
    const unlike = await buildout(['-o', 'packages:recipe=zzzzzzzzzz', 'plan'], root);
    expect(unlike.stderr).not.toContain('did you mean');
  });

  it('misspelt options of the bundled recipes are warnings naming the file and line, and the option meant', async () => {
    const command = await buildout(['plan'], tree({ 'buildout.cfg': `${COMMAND_PART}ouputs = dist\nunrelated-value = 1\n` }));
    expect(command.code).toBe(0);
    expect(command.stdout).toMatch(/^install {3}packages {2}new part\n/);
    expect(command.stderr).toBe('buildout: warning: packages: buildout.cfg:6:1: unknown option ouputs; did you mean outputs?\n');
    const install = await buildout([], tree({ 'buildout.cfg': `${COMMAND_PART}ouputs = dist\nunrelated-value = 1\n` }));
    expect(install.stdout).toContain('packages: warning: buildout.cfg:6:1: unknown option ouputs; did you mean outputs?\n');
    expect(install.stdout).not.toContain('unrelated-value');
    const supervisor = await buildout(['plan'], tree({ 'buildout.cfg': SUPERVISOR.replace('loglevel = loud', 'programms = x') }));
    expect(supervisor.stderr).toContain('unknown option programms; did you mean programs?');
  });
});
