process.on('exit', (code) => console.log('exit ' + code));
setTimeout(() => {
  console.log('timer');
  process.exitCode = 3;
  process.nextTick(() => {
    console.log('tick then exit(4)');
    process.exit(4);
    console.log('never');
  });
  setImmediate(() => console.log('immediate (never)'));
}, 1);
