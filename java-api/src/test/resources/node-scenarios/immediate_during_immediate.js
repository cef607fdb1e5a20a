setImmediate(() => {
  console.log('immediate 1');
  setImmediate(() => console.log('immediate 4 (added by 1)'));
  process.nextTick(() => console.log('tick in 1'));
});
setImmediate(() => {
  console.log('immediate 2');
  setImmediate(() => console.log('immediate 5 (added by 2)'));
});
setImmediate(() => console.log('immediate 3'));
