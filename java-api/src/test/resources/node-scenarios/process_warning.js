function onWarning(w) { console.log('warning', w.name, w.message, w.code); }
process.on('warning', onWarning);
process.emitWarning('something odd');
process.emitWarning('old api', 'DeprecationWarning', 'DEP0999');
Promise.resolve().then(() => console.log('promise'));
process.nextTick(() => console.log('tick'));
setTimeout(() => { process.off('warning', onWarning); process.emitWarning('unheard'); process.nextTick(() => console.log('tick 2')); }, 1);
console.log('main');
