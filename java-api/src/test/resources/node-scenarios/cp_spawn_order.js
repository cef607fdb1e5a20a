// child_process.spawn: 'spawn' on the next tick, stdio pipes as streams, 'exit' then 'close'
// (after every stdio stream closed), kill() and its signal, the ENOENT 'error' and its shape,
// stdio 'ignore', cwd and env. Each step starts when the previous one closed.
const { spawn } = require('child_process');
const log = (s) => console.log(s);

function piped(next) {
  const child = spawn('sh', ['-c', 'echo out; echo err 1>&2; read x; echo "got $x"; exit 3']);
  let out = '';
  let err = '';
  child.on('spawn', () => log('spawn pid>0=' + (child.pid > 0) + ' killed=' + child.killed));
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  child.on('exit', (code, signal) => log('exit ' + code + ' ' + signal));
  child.on('close', (code, signal) => {
    // (whether stdout's own 'close' ran first depends on whether exit or EOF came first: racy in Node)
    log('close ' + code + ' ' + signal);
    log('stdout ' + JSON.stringify(out) + ' stderr ' + JSON.stringify(err));
    log('exitCode ' + child.exitCode + ' signalCode ' + child.signalCode);
    next();
  });
  child.stdin.end('hello\n');
  log('spawned: stdio ' + child.stdio.map((s) => s === null ? 'null' : 'stream').join(','));
}

function killed(next) {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  log('stdout ' + child.stdout + ' stdin ' + child.stdin);
  child.on('spawn', () => {
    log('spawn; kill returns ' + child.kill());
    log('killed=' + child.killed);
  });
  child.on('exit', (code, signal) => log('exit ' + code + ' ' + signal));
  child.on('close', (code, signal) => {
    log('close ' + code + ' ' + signal + ' kill again returns ' + child.kill());
    next();
  });
}

function enoent(next) {
  const child = spawn('uv4j-no-such-command', ['a', 'b']);
  log('pid ' + child.pid);
  child.on('spawn', () => log('spawn (not expected)'));
  child.on('exit', () => log('exit (not expected)'));
  child.on('error', (e) => {
    log('error ' + e.message);
    log('  code=' + e.code + ' errno=' + e.errno + ' syscall=' + e.syscall + ' path=' + e.path
        + ' spawnargs=' + JSON.stringify(e.spawnargs));
  });
  child.on('close', (code, signal) => {
    log('close ' + code + ' ' + signal);
    next();
  });
  process.nextTick(() => log('tick after spawn'));
}

function cwdEnv(next) {
  const child = spawn('sh', ['-c', 'echo "$UV4J_FOO $(pwd)"; exit 0'],
    { cwd: '/', env: { UV4J_FOO: 'bar', PATH: process.env.PATH } });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.on('close', (code) => {
    log('cwd/env close ' + code + ' ' + JSON.stringify(out));
    next();
  });
}

function badCwd(next) {
  const child = spawn('sh', ['-c', 'exit 0'], { cwd: '/uv4j-no-such-dir' });
  child.on('error', (e) => log('bad cwd error ' + e.code + ' ' + e.syscall));
  child.on('close', (code) => {
    log('bad cwd close ' + code);
    next();
  });
}

piped(() => killed(() => enoent(() => cwdEnv(() => badCwd(() => log('done'))))));
log('main');
