import { describe, expect, it } from 'vitest';
import { changedServerSettings, readDeployedConf } from './deployed-conf.js';

const CONF = `
[inet_http_server]
port = 127.0.0.1:9123
username = admin
password = p;a#ss%%word

[supervisord]
logfile = %(here)s/supervisord.log
pidfile = %(here)s/../var/supervisord.pid
loglevel = info
nodaemon = true

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[program:web.site]
command = /bin/sleep 10 ; a comment after a space
`;

describe('a deployed supervisord.conf, read with ini as supervisord reads it', () => {
  it('gives the port, the credentials as written (";" and "#" inside a value, %% unescaped) and the pid file', () => {
    const deployed = readDeployedConf('/srv/site/parts/supervisor/supervisord.conf', CONF);
    expect(deployed.connection).toEqual({
      endpoint: { kind: 'inet', host: '127.0.0.1', port: 9123 },
      user: 'admin',
      password: 'p;a#ss%word',
    });
    expect(deployed.pidfile).toBe('/srv/site/parts/var/supervisord.pid');
    expect(deployed.logfile).toBe('/srv/site/parts/supervisor/supervisord.log');
    expect(deployed.hasRpc).toBe(true);
    // ini alone would make `true` a boolean and cut at ";": the values stay text.
    expect(deployed.serverSettings.get('[supervisord] nodaemon')).toBe('true');
    expect([...deployed.serverSettings.keys()].some((key) => key.includes('program'))).toBe(false);
  });

  it('reads a unix socket relative to the file, a quoted password, and a bare port on every interface', () => {
    const unix = readDeployedConf(
      '/etc/sv/supervisord.conf',
      '[unix_http_server]\nfile = %(here)s/run/sv.sock\npassword = "quoted"\nusername = u\n',
    );
    expect(unix.connection).toEqual({ endpoint: { kind: 'unix', path: '/etc/sv/run/sv.sock' }, user: 'u', password: '"quoted"' });
    expect(unix.pidfile).toBeUndefined();
    expect(unix.logfile).toBeUndefined();
    expect(unix.hasRpc).toBe(false);
    expect(readDeployedConf('/x/s.conf', '[inet_http_server]\nport = 9001\n').connection?.endpoint).toEqual({
      kind: 'inet',
      host: '127.0.0.1',
      port: 9001,
    });
  });

  it('lists the server settings that changed, not the programs', () => {
    const before = readDeployedConf('/x/s.conf', CONF);
    const after = readDeployedConf(
      '/x/s.conf',
      CONF.replace('loglevel = info', 'loglevel = debug')
        .replace('port = 127.0.0.1:9123', 'port = 127.0.0.1:9124')
        .replace('sleep 10', 'sleep 20'),
    );
    expect(changedServerSettings(before, after)).toEqual(['[inet_http_server] port', '[supervisord] loglevel']);
    expect(changedServerSettings(before, readDeployedConf('/x/s.conf', `${CONF}\n[program:other]\ncommand = /bin/true\n`))).toEqual([]);
  });
});
