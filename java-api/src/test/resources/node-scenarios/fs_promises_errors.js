// fs.promises rejections: the same error objects as the callbacks (code, syscall, message);
// each rejection's catch runs after the ticks queued when the request started; rm with
// recursive/force; copyFile over an existing file.
const fsp = require('fs/promises');
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const rel = (s) => String(s).split(d).join('<d>');
const show = (label) => (err) => log(label + ': ' + err.code + ' ' + err.syscall + ' | ' + rel(err.message));
async function main() {
  await fsp.readFile(d + '/missing', 'utf8').catch(show('readFile'));
  const p = fsp.mkdir(d + '/x');
  process.nextTick(() => log('tick after mkdir started'));
  log('mkdir value ' + (await p));
  await fsp.mkdir(d + '/x').catch(show('mkdir again'));
  await fsp.rmdir(d + '/nope').catch(show('rmdir'));
  await fsp.writeFile(d + '/x/a', 'A');
  await fsp.writeFile(d + '/b', 'B');
  await fsp.copyFile(d + '/b', d + '/x/a');
  log('copy over existing: ' + (await fsp.readFile(d + '/x/a', 'utf8')));
  await fsp.rm(d + '/x').catch(show('rm dir'));
  await fsp.rm(d + '/missing', { force: true });
  log('rm missing with force ok');
  await fsp.rm(d + '/x', { recursive: true });
  log('rm recursive ok, exists ' + fs.existsSync(d + '/x'));
  await fsp.stat(d + '/x').catch(show('stat removed'));
  await fsp.unlink(d + '/b');
  await fsp.unlink(d + '/b').catch(show('unlink twice'));
  await fsp.rename(d + '/b', d + '/c').catch(show('rename'));
  const names = await fsp.readdir(d);
  log('left ' + names.length);
  await fsp.rmdir(d);
  log('done');
}
main();
log('main');
