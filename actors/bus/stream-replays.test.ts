import { replayingConsumer } from './stream-replays.js';

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
