// After an immediate throws and 'uncaughtException' handles it, the next immediate runs before
// the ticks queued by the throwing one (Node's failed callback scope and processImmediate's finally).
process.on('uncaughtException', (e) => {
  console.log('caught ' + e.message);
  process.nextTick(() => console.log('tick from handler'));
});
setImmediate(() => {
  console.log('immediate 1');
  process.nextTick(() => console.log('tick from 1'));
  Promise.resolve().then(() => console.log('promise from 1'));
  throw new Error('one');
});
setImmediate(() => {
  console.log('immediate 2');
  process.nextTick(() => console.log('tick from 2'));
});
setImmediate(() => {
  console.log('immediate 3');
  setTimeout(() => {
    console.log('timeout');
    setImmediate(() => {
      console.log('last immediate throws');
      process.nextTick(() => console.log('tick from last'));
      throw new Error('two');
    });
  }, 5);
});
