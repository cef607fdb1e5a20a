for (const n of [1, 2, 3]) {
  setTimeout(() => {
    console.log('timeout ' + n);
    process.nextTick(() => console.log('tick ' + n));
    Promise.resolve().then(() => console.log('promise ' + n));
  }, 5);
}
