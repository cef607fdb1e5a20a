const t = setTimeout(() => console.log('unref timeout (never)'), 1000);
t.unref();
console.log('timeout hasRef ' + t.hasRef());
const i = setImmediate(() => console.log('unref immediate still runs in the check phase'));
i.unref();
console.log('immediate hasRef ' + i.hasRef());
setTimeout(() => {
  console.log('ref timeout');
  const t2 = setTimeout(() => console.log('re-refed timeout'), 5);
  t2.unref();
  t2.ref();
}, 200);
