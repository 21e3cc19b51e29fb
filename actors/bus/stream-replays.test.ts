import { replayingConsumer, storesSubject } from './stream-replays.js';

describe('replayingConsumer', () => {
  it.each([
    ['$JS.ACK.KV_rdd_dev_resources.q4EaNHaE.1.7.1.1796150895179056714.4', 'KV_rdd_dev_resources', 'q4EaNHaE'],
    ['$JS.ACK.hub.ACCHASH.rdd_dev_supervision.c1.1.7.1.1796150895179056714.4.tok', 'rdd_dev_supervision', 'c1'],
  ])('should name the stream and consumer of %s', (reply, stream, consumer) => {
    expect(replayingConsumer(reply)).toEqual({ stream, consumer });
  });

  it.each([undefined, '', '_INBOX.abc.1', '$JS.FC.x.y', '$JS.ACK.'])('should see no replay in %p', (reply) => {
    expect(replayingConsumer(reply)).toBeNull();
  });
});

describe('storesSubject', () => {
  it.each([
    ['KV_rdd_dev_resources', '$KV.rdd_dev_resources.App.app'],
    ['rdd_dev_supervision', 'rdd.dev.supervision.app.vm.restarted'],
  ])('should take %s for the stream that stores %s', (stream, subject) => {
    expect(storesSubject(stream, subject)).toBe(true);
  });

  it.each([
    // A forged reply on a request the client sent itself: its subject is one the client may publish on.
    ['KV_users_orders', 'rdd.dev.inspect.lease'],
    ['KV_rdd_dev_resources', 'rdd.dev.api.app.get'],
    ['rdd_dev_supervision', 'rdd.dev.debug.crash'],
    ['KV_rdd_other_resources', '$KV.rdd_dev_resources.App.app'],
    ['rdd_other_supervision', 'rdd.dev.supervision.app.vm.restarted'],
  ])('should not take %s for the stream of %s: that consumer is not the daemon’s to delete', (stream, subject) => {
    expect(storesSubject(stream, subject)).toBe(false);
  });
});
