/** The [supervisor] options of the seed's first example, with `bin` for ${buildout:bin-directory}. */
export function seedExampleOptions(bin: string): Record<string, string> {
  return {
    plugins: '\nsuperlance',
    port: '9001',
    user: 'mustapha',
    password: 'secret',
    serverurl: 'http://supervisor.mustap.com',
    programs: `
      10 zeo /a/b/c/bin/runzeo /a/b/c
      20 instance1 /e/f/bin/runzope /e/f true
      30 instance2 (autostart=false) /g/h/bin/runzope true
      40 maildrophost ${bin}/maildropctl true
      50 other ${bin}/other [-n 100] /tmp
      60 other2 ${bin}/other2 [-n 100] true
      70 other3 (startsecs=10) ${bin}/other3 [-n -h -v --no-detach] /tmp3 true www-data`,
    eventlisteners: `
      Memmon TICK_60 ${bin}/memmon [-p instance1=200MB]
      HttpOk TICK_60 ${bin}/httpok [-p site1 -t 20 http://localhost:8080/]`,
  };
}
