// child_process: kill() with a signal name and a number, an unknown signal (thrown code and
// message), exit code vs signal in 'exit'/'close', exitCode/signalCode/killed, kill after exit
// returns false; exec of a command killed by a signal (no timeout): the error's fields.
const { spawn, exec } = require('child_process');
const log = (s) => console.log(s);
function byName(next) {
  const c = spawn('sleep', ['30'], { stdio: 'ignore' });
  c.on('spawn', () => {
    try { c.kill('SIGFOO'); } catch (e) { log('unknown signal: ' + e.code + ' | ' + e.message); }
    log('kill SIGINT returns ' + c.kill('SIGINT') + ' killed ' + c.killed);
  });
  c.on('exit', (code, sig) => log('exit ' + code + ' ' + sig + ' exitCode ' + c.exitCode + ' signalCode ' + c.signalCode));
  c.on('close', (code, sig) => {
    log('close ' + code + ' ' + sig + ' kill again ' + c.kill());
    next();
  });
}
function byNumber(next) {
  const c = spawn('sleep', ['30'], { stdio: 'ignore' });
  c.on('spawn', () => log('kill 9 returns ' + c.kill(9)));
  c.on('exit', (code, sig) => log('exit ' + code + ' ' + sig));
  c.on('close', () => next());
}
function trapped(next) {
  const c = spawn('sh', ['-c', 'trap "exit 7" TERM; echo ready; while :; do sleep 0.01; done']);
  c.stdout.once('data', () => log('kill returns ' + c.kill() + ' killed ' + c.killed));
  c.on('exit', (code, sig) => log('trapped exit ' + code + ' ' + sig + ' killed ' + c.killed));
  c.on('close', () => next());
}
function execKilled(next) {
  const c = exec('echo before; kill -USR1 $$; sleep 5', (err, stdout, stderr) => {
    log('exec error code=' + err.code + ' killed=' + err.killed + ' signal=' + err.signal
        + ' | ' + JSON.stringify(err.message) + ' stdout=' + JSON.stringify(stdout));
    next();
  });
}
byName(() => byNumber(() => trapped(() => execKilled(() => log('done')))));
