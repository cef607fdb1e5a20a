// crypto argument errors thrown synchronously (code and message): pbkdf2 iterations/keylen/
// digest, scrypt keylen and cost parameters, randomBytes size; then pool callbacks come after
// the main script's ticks and promise jobs; randomBytes(0) calls back synchronously (Node's
// randomFill does for size 0).
const crypto = require('crypto');
const log = (s) => console.log(s);
const tryIt = (label, f) => {
  try {
    f();
    log(label + ': no error');
  } catch (e) {
    log(label + ': ' + e.code + ' | ' + e.message);
  }
};
const noop = () => {};
tryIt('pbkdf2 iterations 0', () => crypto.pbkdf2('p', 's', 0, 8, 'sha256', noop));
tryIt('pbkdf2 keylen -1', () => crypto.pbkdf2('p', 's', 1, -1, 'sha256', noop));
tryIt('pbkdf2 digest md55', () => crypto.pbkdf2('p', 's', 1, 8, 'md55', noop));
tryIt('pbkdf2Sync digest nope', () => crypto.pbkdf2Sync('p', 's', 1, 8, 'nope'));
tryIt('scrypt keylen -1', () => crypto.scrypt('p', 's', -1, noop));
tryIt('scryptSync N=3', () => crypto.scryptSync('p', 's', 8, { N: 3 }));
tryIt('randomBytes -1', () => crypto.randomBytes(-1, noop));
crypto.randomBytes(0, (err, b) => log('randomBytes(0) cb ' + err + ' ' + b.length));
crypto.pbkdf2('p', 's', 1, 0, 'sha1', (err, k) => log('pbkdf2 keylen 0 cb ' + err + ' ' + k.length));
process.nextTick(() => log('tick'));
Promise.resolve().then(() => log('promise'));
log('main');
