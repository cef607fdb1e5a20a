// The JavaScript original of ChildProcessDemo.java: `node child-process.js`.
const { spawn, exec, execFile } = require('child_process');

const sort = spawn('sort', []);
let sorted = '';
sort.on('spawn', () => console.log(`spawned sort, pid ${sort.pid}`));
sort.stdout.setEncoding('utf8');
sort.stdout.on('data', (s) => { sorted += s; });
sort.on('exit', (code, signal) => console.log(`sort exit code=${code} signal=${signal}`));
sort.on('close', () => {
  process.stdout.write('sorted:\n' + sorted);
  exec('echo "exec says hi from $0"; echo to stderr 1>&2', (err, stdout, stderr) => {
    process.stdout.write('exec stdout: ' + stdout);
    process.stdout.write('exec stderr: ' + stderr);
    execFile('uv4j-no-such-program', ['--help'], (err2) =>
      console.log(`execFile error: ${err2.code} (${err2.message})`));
  });
});
sort.stdin.write('pear\n');
sort.stdin.write('apple\n');
sort.stdin.end('fig\n');
