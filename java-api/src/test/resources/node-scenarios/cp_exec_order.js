// child_process.exec / execFile: callbacks with buffered stdout and stderr, Node's error
// objects (exit code, ENOENT, maxBuffer, timeout with killSignal), and the promise forms.
const { exec, execFile } = require('child_process');
const util = require('util');
const log = (s) => console.log(s);
const q = (s) => JSON.stringify(s);

function describe(err) {
  if (err === null) return 'null';
  return 'code=' + err.code + ' killed=' + err.killed + ' signal=' + err.signal + ' cmd=' + q(err.cmd)
      + ' message=' + q(err.message);
}

const steps = [
  (next) => exec('echo hi; echo e 1>&2', (err, stdout, stderr) => {
    log('exec ok: err=' + describe(err) + ' stdout=' + q(stdout) + ' stderr=' + q(stderr));
    next();
  }),
  (next) => exec('echo partial; echo oops 1>&2; exit 2', (err, stdout, stderr) => {
    log('exec exit 2: ' + describe(err) + ' stdout=' + q(stdout));
    next();
  }),
  (next) => execFile('uv4j-no-such-command', ['x', 'y'], (err, stdout, stderr) => {
    log('execFile ENOENT: ' + describe(err) + ' errno=' + err.errno + ' syscall=' + err.syscall
        + ' path=' + err.path + ' spawnargs=' + q(err.spawnargs) + ' stdout=' + q(stdout));
    next();
  }),
  (next) => execFile('echo', ['0123456789'], { maxBuffer: 4 }, (err, stdout) => {
    log('maxBuffer: ' + describe(err) + ' stdout=' + q(stdout));
    next();
  }),
  (next) => exec('sleep 30', { timeout: 50 }, (err, stdout) => {
    log('timeout: ' + describe(err));
    next();
  }),
  (next) => exec('sleep 30', { timeout: 50, killSignal: 'SIGKILL' }, (err) => {
    log('timeout SIGKILL: ' + describe(err));
    next();
  }),
  (next) => execFile('sh', ['-c', 'echo "$UV4J_X"'], { env: { UV4J_X: 'from env' } }, (err, stdout) => {
    log('execFile env: ' + describe(err) + ' stdout=' + q(stdout));
    next();
  }),
  (next) => util.promisify(exec)('echo promised').then((r) => {
    log('exec promise: stdout=' + q(r.stdout) + ' stderr=' + q(r.stderr));
    next();
  }),
  (next) => util.promisify(execFile)('sh', ['-c', 'echo o; echo e 1>&2; exit 1']).catch((err) => {
    log('execFile promise rejected: ' + describe(err) + ' stdout=' + q(err.stdout) + ' stderr=' + q(err.stderr));
    next();
  }),
];

function run(i) {
  if (i === steps.length) {
    log('done');
    return;
  }
  let sync = true;
  steps[i](() => {
    log('  callback was ' + (sync ? 'sync' : 'async'));
    run(i + 1);
  });
  sync = false;
}
run(0);
