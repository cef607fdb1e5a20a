queueMicrotask(() => console.log('micro 1'));
Promise.resolve().then(() => console.log('promise 1')).then(() => console.log('promise 1.1'));
queueMicrotask(() => {
  console.log('micro 2');
  queueMicrotask(() => console.log('micro 2.1'));
});
Promise.resolve().then(() => console.log('promise 2'));
Promise.resolve().then(() => Promise.resolve('adopted')).then((v) => console.log('promise 3 ' + v));
Promise.resolve().then(() => console.log('p4')).then(() => console.log('p4.1')).then(() => console.log('p4.2')).then(() => console.log('p4.3'));
Promise.resolve('f').finally(() => console.log('finally')).then((v) => console.log('after finally ' + v));
