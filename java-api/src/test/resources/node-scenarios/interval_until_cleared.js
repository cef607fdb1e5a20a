let n = 0;
const iv = setInterval(() => {
  console.log('interval ' + ++n);
  process.nextTick(() => console.log('tick ' + n));
  if (n === 5) clearInterval(iv);
}, 0);
