// dgram misuse: bad socket type, bind twice, address() before bind, send after close, close
// twice, bad port on send; 'close' on the next tick; error codes and messages as thrown.
const dgram = require('dgram');
const log = (s) => console.log(s);
const show = (label, e) => log(label + ': ' + e.code + ' | ' + e.message);
try { dgram.createSocket('udp5'); } catch (e) { show('udp5', e); }
const s = dgram.createSocket('udp4');
try { s.address(); } catch (e) { show('address before bind', e); }
s.on('listening', () => {
  log('listening');
  try { s.bind(0); } catch (e) { show('bind twice', e); }
  try { s.send('x', 70000, '127.0.0.1'); } catch (e) { show('send port 70000', e); }
  try { s.send('x', 0, '127.0.0.1'); } catch (e) { show('send port 0', e); }
  s.close(() => log('close callback'));
  try { s.send('x', 9, '127.0.0.1'); } catch (e) { show('send after close', e); }
  try { s.close(); } catch (e) { show('close twice', e); }
  try { s.address(); } catch (e) { show('address after close', e); }
  process.nextTick(() => log('tick after close'));
});
s.on('close', () => log('close event'));
s.bind(0, '127.0.0.1');
log('main');
