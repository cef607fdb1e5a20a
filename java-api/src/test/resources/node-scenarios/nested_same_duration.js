setTimeout(() => console.log('coerced -1 => 1'), -1);
setTimeout(() => console.log('coerced NaN => 1'), NaN);
setTimeout(() => console.log('coerced 2^31 => 1'), 2 ** 31);
setTimeout(() => console.log('long 300 (created before the 100s)'), 300);
setTimeout(() => {
  console.log('A');
  setTimeout(() => console.log('C (added by A)'), 100);
}, 100);
setTimeout(() => console.log('B'), 100);
