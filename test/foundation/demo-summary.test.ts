import { expect } from 'chai';
import { demoSummary } from '../../runtime/demo-summary.ts';
import { testConfig } from '../helpers/config.ts';

/** Issue 14, item 4: what `start --demo` prints for a person. */
describe('start --demo summary', () => {
  const config = testConfig({ PORT: '3000', INTAKE_ADDRESSES: 'spam@reports.localhost,abuse@reports.localhost=abuse' });

  it('on the first start: what runs where, the login and the key shown once, and where mail goes', () => {
    const text = demoSummary({
      config, httpPort: 3000, smtpPort: 2525, mail: 'outbox',
      created: { key: 'ak_test_key', login: { email: 'admin@demo.localhost', password: 'pw-123456789012' }, samples: 7 },
    });
    expect(text).to.include('http://localhost:3000/report');
    expect(text).to.match(/SMTP intake\s+localhost:2525, to spam@reports\.localhost, abuse@reports\.localhost/);
    expect(text).to.match(/outgoing mail\s+kept, not sent: http:\/\/localhost:3000\/dev\/outbox/);
    expect(text).to.include('admin@demo.localhost / pw-123456789012');
    expect(text).to.include('export KEY=ak_test_key');
    expect(text).to.include('7 sample reports sent through the intake');
  });

  it('on a later start: no secrets, and the commands that make new ones', () => {
    const text = demoSummary({ config, httpPort: 3000, smtpPort: null, mail: 'relay', created: {} });
    expect(text).not.to.include('SMTP intake');
    expect(text).to.include('npx abuse-intake users reset-password --email admin@demo.localhost');
    expect(text).to.include('npx abuse-intake keys create --role admin');
    expect(text).to.match(/outgoing mail\s+sent through MAIL_RELAY_URL/);
  });
});
