// writeFile/appendFile/readFile with encodings (utf8 multi-byte, hex, base64, latin1), stat
// fields (isFile/isDirectory/size), mkdir {recursive} return values and readdir withFileTypes.
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const rel = (s) => (s === undefined ? 'undefined' : String(s).split(d).join('<d>'));
const f = d + '/t.txt';
fs.writeFile(f, 'h\u00e9llo \u20ac', (err) => {
  log('writeFile ' + err);
  fs.appendFile(f, '!\n', (err) => {
    log('appendFile ' + err);
    fs.readFile(f, (err, buf) => {
      log('bytes ' + buf.length + ' hex ' + buf.toString('hex'));
      fs.readFile(f, 'utf8', (err, s) => {
        log('utf8 ' + JSON.stringify(s) + ' length ' + s.length);
        fs.readFile(f, 'base64', (err, s) => {
          log('base64 ' + s);
          fs.readFile(f, 'latin1', (err, s) => {
            log('latin1 ' + JSON.stringify(s));
            fs.readFile(f, 'hex', (err, s) => {
              log('hex ' + s);
              stats();
            });
          });
        });
      });
    });
  });
});
function stats() {
  fs.stat(f, (err, st) => {
    log('file isFile ' + st.isFile() + ' isDirectory ' + st.isDirectory() + ' isSymbolicLink ' + st.isSymbolicLink() + ' size ' + st.size);
    fs.stat(d, (err, st) => {
      log('dir isFile ' + st.isFile() + ' isDirectory ' + st.isDirectory());
      fs.mkdir(d + '/a/b/c', { recursive: true }, (err, first) => {
        log('mkdir recursive ' + err + ' first ' + rel(first));
        fs.mkdir(d + '/a/b/c', { recursive: true }, (err, first) => {
          log('mkdir recursive again ' + err + ' first ' + rel(first));
          fs.mkdir(d + '/a/b/c/d', { recursive: true }, (err, first) => {
            log('mkdir one more ' + err + ' first ' + rel(first));
            fs.mkdir(d + '/t.txt/x', { recursive: true }, (err) => {
              log('mkdir under a file ' + err.code + ' ' + err.syscall + ' ' + rel(err.path));
              fs.mkdir(d + '/plain', (err, v) => {
                log('mkdir plain ' + err + ' value ' + v);
                fs.writeFileSync(d + '/a/z.txt', '');
                fs.readdir(d + '/a', { withFileTypes: true }, (err, ents) => {
                  log('readdir ' + ents.map((e) => e.name + (e.isDirectory() ? '/' : '') + (e.isFile() ? ' (file)' : '')).join(', '));
                  fs.readdir(d, (err, names) => {
                    log('names ' + names.sort().join(','));
                    fs.rmSync(d, { recursive: true });
                    log('done');
                  });
                });
              });
            });
          });
        });
      });
    });
  });
}
