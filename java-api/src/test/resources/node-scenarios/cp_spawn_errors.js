// spawn failures other than a missing command: a missing cwd (ENOENT naming the command), a
// file that is not executable (EACCES), exec with a missing cwd (the error names /bin/sh);
// 'error' then 'close' (code is the negative errno), no 'spawn', no 'exit'; stdio per fd.
const { spawn, exec } = require('child_process');
const log = (s) => console.log(s);
const fs = require('fs');
const os = require('os');
const path = require('path');
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const rel = (s) => String(s).split(d).join('<d>');
fs.writeFileSync(d + '/not-exec', 'echo hi\n');
function describe(e) {
  return e.code + ' errno=' + e.errno + ' syscall=' + rel(e.syscall) + ' path=' + rel(e.path)
      + ' spawnargs=' + rel(JSON.stringify(e.spawnargs)) + ' | ' + rel(e.message);
}
function watch(label, c, next) {
  c.on('spawn', () => log(label + ' spawn (never)'));
  c.on('exit', () => log(label + ' exit (never)'));
  c.on('error', (e) => log(label + ' error ' + describe(e)));
  c.on('close', (code, sig) => {
    log(label + ' close ' + code + ' ' + sig + ' exitCode ' + c.exitCode);
    next();
  });
}
const steps = [
  (next) => watch('bad cwd', spawn('ls', ['-l'], { cwd: d + '/missing' }), next),
  (next) => watch('not executable', spawn(d + '/not-exec', []), next),
  (next) => exec('pwd', { cwd: d + '/missing' }, (err, stdout, stderr) => {
    log('exec bad cwd ' + describe(err) + ' killed=' + err.killed + ' cmd=' + err.cmd + ' stdout=' + JSON.stringify(stdout));
    next();
  }),
  (next) => {
    const c = spawn('sh', ['-c', 'echo out; echo err >&2'], { stdio: ['ignore', 'pipe', 'ignore'] });
    log('stdio ' + [c.stdin, c.stdout, c.stderr].map((s) => (s ? 'stream' : 'null')).join(','));
    let out = '';
    c.stdout.on('data', (b) => { out += b; });
    c.on('close', (code) => {
      log('mixed stdio close ' + code + ' ' + JSON.stringify(out));
      next();
    });
  },
];
let i = 0;
(function next() {
  if (i < steps.length) steps[i++](next);
  else {
    fs.rmSync(d, { recursive: true });
    log('done');
  }
})();
