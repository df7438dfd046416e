import { storedOrderFixture } from '../../../test/fixtures/stored-orders.js';
import { notificationFor } from './notification.js';
import { orderEvent } from './order-event.js';

describe('notificationFor', () => {
  it('masks the email and redacts emails and card numbers quoted in the reasons', () => {
    const order = storedOrderFixture({ orderId: 'ORD-NOTIFY-1', status: 'REJECTED', customerEmail: 'jane.miller@example.com' });
    const reasons = ['AI analyst: jane.miller@example.com paid with 4111 1111 1111 1111 from a new device', 'Order value: $5000 (Very high risk)'];
    const notification = notificationFor(orderEvent('ORDER_SCREENED', { ...order, rejectionReasons: reasons }, '2026-11-25T10:00:00.000Z'));

    expect(notification).toMatchObject({
      eventId: 'ORD-NOTIFY-1:ORDER_SCREENED:REJECTED',
      customerEmail: 'j***@example.com',
      reasons: ['AI analyst: j***@example.com paid with ************1111 from a new device', 'Order value: $5000 (Very high risk)'],
    });
    expect(JSON.stringify(notification)).not.toContain('jane.miller@');
  });
});
