// fs callbacks and fs.promises: callbacks run through MakeCallback (ticks, then microtasks, after
// each); a promise resolves after its operation's libuv callback; errors carry code, syscall, path.
const fs = require('fs');
const fsp = fs.promises;
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const file = path.join(dir, 'data.txt');
const missing = path.join(dir, 'missing');
log('start');
fs.writeFile(file, 'hello node', (err) => {
  log('writeFile cb ' + err);
  process.nextTick(() => log('tick in writeFile cb'));
  Promise.resolve().then(() => log('microtask in writeFile cb'));
  fsp.readFile(file, 'utf8').then((s) => {
    log('promise readFile: ' + s);
    fs.appendFile(file, '!', (err) => {
      log('appendFile cb ' + err);
      fs.readFile(file, (err, buf) => {
        log('readFile cb: ' + buf.length + ' bytes, ' + buf.toString());
        process.nextTick(() => log('tick after readFile cb'));
        fsp.stat(file)
          .then((st) => log('stat size ' + st.size + ', isFile ' + st.isFile()))
          .then(() => fsp.readFile(missing))
          .catch((e) => log('missing: ' + e.code + ' ' + e.syscall + ' ' + (e.path === missing)))
          .then(() => fsp.mkdir(path.join(dir, 'a', 'b', 'c'), { recursive: true }))
          .then((first) => log('mkdir -p created first: ' + path.relative(dir, first)))
          .then(() => fsp.mkdir(path.join(dir, 'a'), { recursive: true }))
          .then((first) => log('mkdir -p existing: ' + first))
          .then(() => fsp.readdir(dir))
          .then((names) => log('readdir: ' + names.join(',')))
          .then(() => fsp.rename(file, path.join(dir, 'a', 'renamed.txt')))
          .then(() => fsp.readdir(path.join(dir, 'a')))
          .then((names) => log('readdir a: ' + names.join(',')))
          .then(() => fsp.rm(path.join(dir, 'a')))
          .catch((e) => log('rm dir without recursive: ' + e.code))
          .then(() => fsp.rm(missing, { force: true }))
          .then(() => log('rm missing with force: ok'))
          .then(() => fsp.rm(dir, { recursive: true }))
          .then(() => fs.stat(dir, (e) => log('stat after rm -r: ' + e.code)));
      });
    });
  });
  log('end of writeFile cb');
});
log('end of main');
