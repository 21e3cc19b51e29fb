import { recordingLogger } from './recording-logger.fixtures.js';
import { rejections } from './rejections.js';
import { isInboxSubject, refusedReplySubject, replySubjectSource } from './reply-subjects.js';

const counted = () => rejections.snapshot().bySource[replySubjectSource] ?? 0;

describe('isInboxSubject', () => {
  it.each(['_INBOX.abc', '_INBOX.abc.1', '_INBOX_rdd_client.x7', '_INBOX_rdd_watch.a.b', '_INBOX_rdd_client.logs.42'])(
    'should take %s for an inbox',
    (subject) => {
      expect(isInboxSubject(subject)).toBe(true);
    },
  );

  it.each([
    '$KV.rdd_dev_resources.App.app',
    '$JS.API.STREAM.PURGE.KV_rdd_dev_resources',
    'rdd.dev.vm.desired',
    '$SRV.PING',
    '_INBOX',
    '_INBOX.',
    '_INBOX.*',
    '_INBOX.>',
    'x._INBOX.a',
    '_INBOXES_ARE_NOT.a b',
  ])('should refuse %s', (subject) => {
    expect(isInboxSubject(subject)).toBe(false);
  });
});

describe('refusedReplySubject', () => {
  it('should refuse, count and log a reply subject that is not an inbox', () => {
    // Arrange
    const { logger, lines } = recordingLogger();
    const before = counted();

    // Act
    const refused = refusedReplySubject(
      { subject: 'rdd.dev.api.app.get', reply: '$KV.rdd_dev_resources.App.app' },
      logger,
    );

    // Assert
    expect(refused).toBe(true);
    expect(counted()).toBe(before + 1);
    expect(lines).toEqual([
      'warn rejected a request on rdd.dev.api.app.get: its reply subject "$KV.rdd_dev_resources.App.app" is not an inbox (replies go only to _INBOX… subjects)',
    ]);
  });

  it('should let an inbox and a plain publish (no reply subject) through, uncounted', () => {
    const before = counted();

    expect(refusedReplySubject({ subject: 'rdd.dev.api.app.get', reply: '_INBOX_rdd_client.q1' })).toBe(false);
    expect(refusedReplySubject({ subject: 'rdd.dev.api.app.get' })).toBe(false);
    expect(counted()).toBe(before);
  });
});
