// then with a handler returning nothing, then without using the value, catch, finally
Promise.resolve(1).then((v) => console.log('then', v)).then(() => console.log('then run'));
Promise.reject(new Error('bad'))
  .catch((e) => console.log('catch', e.message))
  .finally(() => console.log('finally'))
  .then((v) => console.log('after finally', v));
Promise.reject(new Error('passes')).then(() => console.log('never'))
  .catch((e) => { console.log('caught', e.message); return 'recovered'; })
  .then((v) => console.log('value', v));
process.nextTick(() => console.log('tick'));
console.log('main');
