// process.emitWarning forms: message only, with a type, with type and code, with an options
// object (type, code), an Error object, a DeprecationWarning; the 'warning' listener
// runs on the next tick, in emission order, before promise jobs queued after the calls.
const log = (s) => console.log(s);
process.on('warning', (w) => {
  log('warning name=' + w.name + ' message=' + JSON.stringify(w.message) + ' code=' + w.code
      + ' detail=' + w.detail + ' isError=' + (w instanceof Error));
});
process.emitWarning('plain');
process.emitWarning('typed', 'CustomWarning');
process.emitWarning('typed and coded', 'CustomWarning', 'CODE1');
process.emitWarning('with options', { type: 'OptWarning', code: 'CODE2' });
const e = new Error('from an error');
e.name = 'ErrWarning';
process.emitWarning(e);
process.emitWarning('old thing', 'DeprecationWarning', 'DEP0001');
Promise.resolve().then(() => log('promise'));
process.nextTick(() => log('tick'));
log('main');
