let revived = 0;
process.on('beforeExit', (code) => {
  console.log('beforeExit ' + code);
  if (revived++ < 2) setTimeout(() => console.log('revived ' + revived), 1);
});
process.on('exit', (code) => console.log('exit ' + code));
console.log('main');
