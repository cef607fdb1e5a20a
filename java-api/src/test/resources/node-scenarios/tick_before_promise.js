Promise.resolve().then(() => console.log('promise 1'));
process.nextTick(() => console.log('tick 1'));
Promise.resolve().then(() => {
  console.log('promise 2');
  process.nextTick(() => console.log('tick from promise'));
});
process.nextTick(() => {
  console.log('tick 2');
  Promise.resolve().then(() => console.log('promise from tick'));
});
console.log('main');
