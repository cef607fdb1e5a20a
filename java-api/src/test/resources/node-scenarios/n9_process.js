// process.env (live: children spawned afterwards see it; values become strings),
// process.cwd()/chdir() (Node's errors; children start in the new directory),
// process.kill (names, numbers, ERR_UNKNOWN_SIGNAL, ESRCH, EINVAL), nextTick with arguments,
// emitWarning's option and legacy forms.
const { execFile, spawn } = require('child_process');
const start = process.cwd();
function t(name, f) {
  try { console.log(name, f()); } catch (e) {
    console.log(name, e.code, e.message.split(start).join('CWD'), e.syscall);
  }
}
process.env.N9_A = 1;
console.log('env number', typeof process.env.N9_A, process.env.N9_A);
process.env.N9_B = null;
console.log('env null', process.env.N9_B);
process.env['N9_C=D'] = 'x';
console.log('env with =', process.env['N9_C=D']);
delete process.env.N9_B;
console.log('env deleted', 'N9_B' in process.env, process.env.N9_B);
t('chdir missing', () => process.chdir('n9-no-such-dir'));
t('chdir file', () => process.chdir('/etc/hosts'));
process.chdir('/usr/..');
console.log('cwd after chdir', process.cwd());
t('kill 0', () => process.kill(process.pid, 0));
t('kill unknown', () => process.kill(process.pid, 'SIGFOO'));
t('kill no SIG prefix', () => process.kill(process.pid, 'TERM'));
t('kill no such pid', () => process.kill(2147483647, 0));
t('kill bad number', () => process.kill(process.pid, 99));
t('emitWarning undefined', () => process.emitWarning(undefined));
process.on('warning', (w) => console.log('warning', w.name, w.code, w.message, w.detail));
process.emitWarning('with options', { type: 'N9Warning', code: 'N9_01', detail: 'more text' });
process.emitWarning('legacy', 'N9Legacy', 'N9_02');
process.emitWarning('plain');
process.nextTick((a, b) => console.log('tick args', a, b), 1, 'two');
process.nextTick((a) => console.log('tick arg', a), 'one');
execFile('sh', ['-c', 'echo "$N9_A $(pwd)"'], (err, stdout) => {
  console.log('child sees', err, JSON.stringify(stdout));
  process.chdir(start);
  delete process.env.N9_A;
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  sleeper.on('spawn', () => console.log('kill child', process.kill(sleeper.pid, 'SIGTERM')));
  sleeper.on('exit', (code, signal) => console.log('child exit', code, signal));
});
