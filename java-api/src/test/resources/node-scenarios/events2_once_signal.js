// events.once(emitter, name, { signal }): the listeners it adds (the event's, then 'error'), the
// resolution with the arguments, rejection by 'error', and by an abort (AbortError, listeners
// removed), a pre-aborted signal registering nothing; getEventListeners on a signal.
const log = (s) => console.log(s);
const { EventEmitter, once, getEventListeners } = require('events');
const e = new EventEmitter();
e.on('newListener', (name) => log('newListener ' + name));
const ac = new AbortController();
once(e, 'ready', { signal: ac.signal }).then((args) => log('ready ' + args.join(',')));
log('abort listeners ' + getEventListeners(ac.signal, 'abort').length);
e.emit('ready', 1, 2);
log('after emit: ready ' + e.listenerCount('ready') + ' error ' + e.listenerCount('error')
  + ' abort ' + getEventListeners(ac.signal, 'abort').length);
const ac2 = new AbortController();
once(e, 'never', { signal: ac2.signal }).then(() => log('never'), (err) => log('aborted ' + err.name + ' '
  + err.code + ' ' + err.message + ' cause ' + err.cause));
ac2.abort('stop');
log('after abort: never ' + e.listenerCount('never') + ' error ' + e.listenerCount('error'));
once(e, 'x', { signal: AbortSignal.abort('early') }).catch((err) => log('pre-aborted ' + err.code + ' cause '
  + err.cause));
log('pre-aborted registered x ' + e.listenerCount('x'));
const ac3 = new AbortController();
once(e, 'y', { signal: ac3.signal }).catch((err) => log('error rejected ' + err.message));
e.emit('error', new Error('bad'));
log('after error: y ' + e.listenerCount('y') + ' abort ' + getEventListeners(ac3.signal, 'abort').length);
Promise.resolve().then(() => log('microtask'));
