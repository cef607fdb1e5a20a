process.on('uncaughtException', (e) => console.log('caught ' + e.message));
setTimeout(() => {
  console.log('A');
  throw new Error('boom');
}, 5);
setTimeout(() => {
  console.log('B (same due time, still runs)');
  setImmediate(() => {
    console.log('immediate');
    throw new Error('bang');
  });
  setImmediate(() => console.log('next immediate still runs'));
  process.nextTick(() => console.log('tick after B'));
}, 5);
