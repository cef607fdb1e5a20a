process.nextTick(() => {
  console.log('tick 1');
  process.nextTick(() => console.log('tick 1.1'));
  process.nextTick(() => { console.log('tick 1.2'); process.nextTick(() => console.log('tick 1.2.1')); });
});
process.nextTick(() => console.log('tick 2'));
console.log('main');
