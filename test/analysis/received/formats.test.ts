import { expect } from 'chai';
import type { Hop } from '../../../shared/analysis/types.ts';
import { parseReceived } from '../../../shared/analysis/received/parse-received.ts';

/**
 * One real header line per MTA family, copied from the corpus (test/fixtures/corpus/, file named in each case),
 * plus the shapes the attribution contract depends on. Each case pins the fields that matter for that shape.
 */
const CASES: [string, string, Partial<Hop>][] = [
  [
    'Postfix, IPv6 client, envelope-from after the date (spam/spamassassin/dmarc-noneko.eml)',
    'from mail-pf1-x432.google.com (mail-pf1-x432.google.com [IPv6:2607:f8b0:4864:20::432]) (using TLSv1.3 with cipher AEAD-AES128-GCM-SHA256 (128/128 bits)) (No client certificate requested) by dmarc1.spamassassin.org (Postfix) with ESMTPS id EDD4E2073D for <test@dmarc1.spamassassin.org>; Tue, 15 Jun 2021 02:55:45 -0700 (PDT)',
    { ip: '2607:f8b0:4864:20::432', rdns: 'mail-pf1-x432.google.com', helo: 'mail-pf1-x432.google.com', by: 'dmarc1.spamassassin.org', protocol: 'ESMTPS', id: 'EDD4E2073D', for: 'test@dmarc1.spamassassin.org', auth: null, date: '2021-06-15T09:55:45.000Z', format: 'postfix' },
  ],
  [
    'Postfix, unknown rDNS (spam/rspamd/received1.eml)',
    'from server.chat-met-vreemden.nl (unknown [IPv6:2a01:7c8:aab6:26d:5054:ff:fed1:1da2]) (using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)) (Client did not present a certificate) by mx1.freebsd.org (Postfix) with ESMTPS id CF0171862 for <test@example.com>; Mon, 6 Jul 2015 09:01:20 +0000 (UTC) (envelope-from upwest201diana@outlook.com)',
    { ip: '2a01:7c8:aab6:26d:5054:ff:fed1:1da2', rdns: null, helo: 'server.chat-met-vreemden.nl', by: 'mx1.freebsd.org', date: '2015-07-06T09:01:20.000Z', format: 'postfix' },
  ],
  [
    'Postfix, authenticated submission to localhost (spam/rspamd/received5.eml)',
    'from localhost (localhost [127.0.0.1]) by ietfa.amsl.com (Postfix) with ESMTPA id 00E7712024B for <cfrg@ietfa.amsl.com>; Tue, 7 May 2019 14:01:07 -0700 (PDT)',
    { ip: '127.0.0.1', rdns: 'localhost', helo: 'localhost', by: 'ietfa.amsl.com', protocol: 'ESMTPA', auth: 'ESMTPA', format: 'postfix' },
  ],
  [
    'amavis re-injection: by localhost with the real host in a comment (spam/rspamd/received5.eml)',
    'from mail.ietf.org ([4.31.198.44]) by localhost (ietfa.amsl.com [127.0.0.1]) (amavisd-new, port 10024) with ESMTPA id k8UsBTUjeiTe for <cfrg@ietfa.amsl.com>; Tue, 7 May 2019 14:01:04 -0700 (PDT)',
    { ip: '4.31.198.44', rdns: null, helo: 'mail.ietf.org', by: 'localhost', format: 'amavis' },
  ],
  [
    'Sendmail, authenticated, IDENT (ham/spamassassin, arf/sisimai/arf-16.eml)',
    'from mail.example.net ([192.0.1.3]) (authenticated bits=0) by mail.example.net (8.13.1/8.13.1) with ESMTP id t3P00000000000 (version=TLSv1/SSLv3 cipher=DHE-RSA-AES256-SHA bits=256 verify=NO); Thu, 29 Apr 2015 23:34:45 GMT',
    { ip: '192.0.1.3', helo: 'mail.example.net', by: 'mail.example.net', id: 't3P00000000000', auth: 'authenticated bits=0', date: '2015-04-29T23:34:45.000Z', format: 'sendmail' },
  ],
  [
    'Sendmail, IDENT:user@rdns (ham/spamassassin)',
    'from trna.ximian.com (IDENT:nobody@localhost [127.0.0.1]) by trna.ximian.com (8.9.3/8.9.3) with ESMTP id SAA19408; Tue, 15 May 2001 18:26:07 -0400',
    { ip: '127.0.0.1', rdns: 'localhost', helo: 'trna.ximian.com', format: 'sendmail' },
  ],
  [
    'Sendmail local submission wrapped in a comment: no address (ham/spamassassin/001.eml)',
    '(from jm@localhost) by dogma.slashnull.org (8.9.3/8.9.3) id AAA30873 for jm@netnoteinc.com; Wed, 16 May 2001 00:40:33 +0100',
    { ip: null, helo: null, by: 'dogma.slashnull.org', id: 'AAA30873', for: 'jm@netnoteinc.com', format: 'sendmail' },
  ],
  [
    'Exim, helo= differs from rDNS, esmtpa (spam/rspamd/received1.eml)',
    'from ca-18-193-131.service.infuturo.it ([151.18.193.131] helo=User) by server.chat-met-vreemden.nl with esmtpa (Exim 4.76) (envelope-from <upwest201diana@outlook.com>) id 1ZC1sl-0006b4-TU; Mon, 06 Jul 2015 10:36:08 +0200',
    { ip: '151.18.193.131', rdns: 'ca-18-193-131.service.infuturo.it', helo: 'user', by: 'server.chat-met-vreemden.nl', protocol: 'esmtpa', auth: 'esmtpa', id: '1ZC1sl-0006b4-TU', format: 'exim' },
  ],
  [
    'Exim, [ip]:port and HELO equal to rDNS (dsn/sisimai)',
    'from smtpd-02.example.com ([203.0.113.1]:2202) by neko2.example.com with esmtp (Exim 4.80) id 2Aeeee-00002R-AA for kijitora@example.com; Thu, 18 Jul 2013 13:34:45 +0900',
    { ip: '203.0.113.1', rdns: 'smtpd-02.example.com', helo: 'smtpd-02.example.com', by: 'neko2.example.com', for: 'kijitora@example.com', format: 'exim' },
  ],
  [
    'Exim 3, top-level literal: rdns (helo) [ip] (ham/spamassassin)',
    'from murphy.debian.org [65.125.64.134] by master.debian.org with esmtp (Exim 3.12 1 (Debian)) id 18i3AB-0003La-00; Sun, 09 Feb 2003 19:55:15 -0600',
    { ip: '65.125.64.134', helo: 'murphy.debian.org', by: 'master.debian.org', format: 'exim' },
  ],
  [
    'qmail, (HELO x) (ip) with unknown rDNS (ham/spamassassin/cjk-iso-2022-jp.1.eml)',
    'from unknown (HELO lune.stained-g) (202.214.129.125) by stained-g.net with SMTP; 16 Dec 2002 23:08:43 +0900',
    { ip: '202.214.129.125', rdns: null, helo: 'lune.stained-g', by: 'stained-g.net', protocol: 'SMTP', date: '2002-12-16T14:08:43.000Z', format: 'qmail' },
  ],
  [
    'qmail, ESMTPA with an IP-literal HELO (arf/abuseio/feedback-loop-AOL_example_1.eml)',
    'from hfc-181-142-199-114.une.net.co (HELO ?181.142.199.114?) (181.142.199.114) by ip-46.97.hospedando.com with ESMTPA; 19 Jan 2016 20:32:35 +0100',
    { ip: '181.142.199.114', rdns: 'hfc-181-142-199-114.une.net.co', helo: '?181.142.199.114?', auth: 'ESMTPA', format: 'qmail' },
  ],
  [
    'qmail "invoked from network" line: no hop address',
    '(qmail 24962 invoked from network); 19 Jan 2016 20:32:36 +0100',
    { ip: null, by: null, date: '2016-01-19T19:32:36.000Z', format: 'qmail' },
  ],
  [
    'qmail "from network by host" form',
    'from network by mail.example.net; 19 Jan 2016 20:32:36 -0000',
    { ip: null, by: 'mail.example.net' },
  ],
  [
    'Exchange, address of the from-clause, not of the by-clause (dsn/sisimai/lhost-exchange2007-01.eml)',
    'from mx9.example.net (192.0.2.229) by mx8.example.net (192.0.2.228) with Microsoft SMTP Server id 8.2.222.2; Thu, 22 Feb 2011 23:34:45 +0900',
    { ip: '192.0.2.229', rdns: null, helo: 'mx9.example.net', by: 'mx8.example.net', protocol: 'SMTP', id: '8.2.222.2', format: 'exchange' },
  ],
  [
    'Exchange Online, IPv6 on both sides (dsn/sisimai/lhost-office365-13.eml)',
    'from HK2PR0101CA2025.apcprd01.prod.exchangelabs.com (2603:1096:201:1::37) by NEKONYAAN0022.apcprd01.prod.exchangelabs.com (2a01:111:e400:a40f::24) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P256) id 15.20.13.10; Thu, 29 Apr 2021 23:34:45 +0000',
    { ip: '2603:1096:201:1::37', helo: 'hk2pr0101ca2025.apcprd01.prod.exchangelabs.com', by: 'nekonyaan0022.apcprd01.prod.exchangelabs.com', id: '15.20.13.10', format: 'exchange' },
  ],
  [
    'Exchange, zone ids on link-local literals (auto-reply/sisimai/rfc3834-02.eml)',
    'from neko.nyaan.example.net ([fe80::ffff:ffff:ffff:0000%22]) by neko1.nyaan2.example.net ([fe80::0000:0000:0000:ffff%22]) with Microsoft SMTP Server id 14.02.0318.004; Thu, 17 Jul 2013 23:34:45 -0400',
    { ip: 'fe80::ffff:ffff:ffff:0', by: 'neko1.nyaan2.example.net', format: 'exchange' },
  ],
  [
    'Exchange, authenticated client submission',
    'from [192.168.1.20] (198.51.100.77) by mail.contoso.example (10.0.0.5) with Microsoft SMTP Server (version=TLS1_2) id 15.1.2507.6 (authenticated); Mon, 3 May 2021 10:00:00 +0000',
    { ip: '198.51.100.77', helo: '[192.168.1.20]', auth: 'authenticated', format: 'exchange' },
  ],
  [
    'Gmail MX, trailing dot on rDNS (dsn/sisimai/rfc3464-55.eml)',
    'from mail-qt0-x246.google.com (mail-qt0-x246.google.com. [2607:f8b0:400d:c0d::246]) by mx.google.com with ESMTPS id f90si5478797qtb.109.2017.05.01.05.27.16 for <kijitora@gmail.example.com> (version=TLS1_2 cipher=ECDHE-RSA-AES128-GCM-SHA256 bits=128/128); Mon, 01 May 2017 05:27:16 -0700 (PDT)',
    { ip: '2607:f8b0:400d:c0d::246', rdns: 'mail-qt0-x246.google.com', helo: 'mail-qt0-x246.google.com', by: 'mx.google.com', protocol: 'ESMTPS', for: 'kijitora@gmail.example.com', format: 'gmail' },
  ],
  [
    'Gmail internal hop, by an IPv6 address (dsn/sisimai/lhost-googlegroups-01.eml)',
    'by 2002:a17:902:9a94:: with SMTP id w20mr5721806plp.6; Fri, 28 Apr 2019 23:34:45 -0800 (PST)',
    { ip: null, by: '2002:a17:902:9a94::', protocol: 'SMTP', id: 'w20mr5721806plp.6', date: '2019-04-29T07:34:45.000Z', format: 'gmail' },
  ],
  [
    'Gmail submission, ESMTPSA from IPv6 (spam/spamassassin/dmarc-noneko.eml)',
    'from PC ([2409:4063:231e:c527:1997:664a:34e5:7d88]) by smtp.gmail.com with ESMTPSA id n23sm15339981pgv.76.2021.06.15.02.55.37 for <test@dmarc1.spamassassin.org> (version=TLS1 cipher=ECDHE-ECDSA-AES128-SHA bits=128/128); Tue, 15 Jun 2021 02:55:43 -0700 (PDT)',
    { ip: '2409:4063:231e:c527:1997:664a:34e5:7d88', helo: 'pc', auth: 'ESMTPSA', format: 'gmail' },
  ],
  [
    'Yahoo, (EHLO x) (ip) with 127.0.0.1 in the name slot (arf/sisimai/arf-14.eml)',
    'from 127.0.0.1 (EHLO a22-22.smtp-out.amazonses.com) (192.0.2.222) by mta2222.biz.mail.sg2.yahoo.com with SMTPS; Thu, 29 Apr 2017 23:34:45 +0000',
    { ip: '192.0.2.222', rdns: null, helo: 'a22-22.smtp-out.amazonses.com', by: 'mta2222.biz.mail.sg2.yahoo.com', protocol: 'SMTPS', format: 'yahoo' },
  ],
  [
    'Yahoo internal NNFMP hop (arf/abuseio/feedback-loop-Yahoo_example_1.eml)',
    'from [66.196.81.179] by n3.bullet.mail.bf1.yahoo.com with NNFMP; 20 Jan 2016 08:00:34 -0000',
    { ip: '66.196.81.179', helo: '[66.196.81.179]', by: 'n3.bullet.mail.bf1.yahoo.com', format: 'yahoo' },
  ],
  [
    'Courier, id after the date and an IP-literal HELO (dsn/sisimai/lhost-courier-01.eml)',
    'from [127.0.0.1] (c10920.example.com [192.0.2.20]) by marutamachi.example.org with SMTP; Sat, 11 Dec 2010 12:19:17 +0900 id 0EFECD4E.4D02EDD9.0000C5BA',
    { ip: '192.0.2.20', rdns: 'c10920.example.com', helo: '[127.0.0.1]', id: '0EFECD4E.4D02EDD9.0000C5BA', date: '2010-12-11T03:19:17.000Z', format: 'courier' },
  ],
  [
    'Courier, IPv4-mapped literal and softdnserr',
    'from m165.4superdeals.biz (softdnserr [::ffff:64.235.238.165]) by mail.cs.helsinki.fi with esmtp; Sun, 17 Aug 2003 19:30:42 +0300',
    { ip: '64.235.238.165', rdns: null, helo: 'm165.4superdeals.biz', format: 'courier' },
  ],
  [
    'Courier, AUTH comment and ident=',
    'from client.example.org (ident=jdoe [198.51.100.8]) (AUTH: LOGIN jdoe@example.org, TLS: TLSv1/SSLv3,256bits,AES256-SHA) by mail.example.org with ESMTPSA; Tue, 06 Jan 2004 23:56:09 +0000 id 000000DB.43735815.00001E11',
    { ip: '198.51.100.8', helo: 'client.example.org', auth: 'ESMTPSA', id: '000000DB.43735815.00001E11', format: 'courier' },
  ],
  [
    'MDaemon',
    'from mail.example.com (mail.example.com [203.0.113.40]) by list.example.org (MDaemon PRO v9.0.1) with ESMTP id md50000050056.msg for <user@example.org>; Mon, 19 Jun 2006 11:50:20 -0400',
    { ip: '203.0.113.40', rdns: 'mail.example.com', by: 'list.example.org', id: 'md50000050056.msg', format: 'mdaemon' },
  ],
  [
    'MailEnable, name is the HELO (dsn/sisimai/lhost-office365-01.eml)',
    'from aaaa00-bb0-ccc.outbound.protection.outlook.com ([192.0.2.1]) by 192.0.2.4 with MailEnable ESMTP; Thu, 29 Apr 2015 23:34:45 +0900',
    { ip: '192.0.2.1', rdns: null, helo: 'aaaa00-bb0-ccc.outbound.protection.outlook.com', by: '192.0.2.4', format: 'generic' },
  ],
  [
    'ecelerity, [ip:port] with helo= (arf/abuseio/feedback-loop-Synacor_example_1.eml)',
    'from [10.17.18.21] ([10.17.18.21:41423] helo=domain3.tld) by mx.mymts.net (envelope-from <miranda_wise@domain3.tld>) (ecelerity 3.6.6.45965 r(Core:3.6.6.0)) with ESMTP id A9/90-02413-683D2965; Sun, 10 Jan 2016 17:10:30 -0600',
    { ip: '10.17.18.21', helo: 'domain3.tld', by: 'mx.mymts.net', id: 'A9/90-02413-683D2965' },
  ],
  [
    'Exchange Online MAPI submission, link-local literal with a zone on the by side',
    'from DM6PR11MB4073.namprd11.prod.outlook.com ([fe80::1c8a:3a5b:b2f4:2e4d]) by DM6PR11MB4073.namprd11.prod.outlook.com ([fe80::1c8a:3a5b:b2f4:2e4d%5]) with mapi id 15.20.4544.022; Wed, 29 Sep 2021 10:00:00 +0000',
    { ip: 'fe80::1c8a:3a5b:b2f4:2e4d', by: 'dm6pr11mb4073.namprd11.prod.outlook.com', protocol: 'mapi', id: '15.20.4544.022', format: 'exchange' },
  ],
  [
    'Exchange Online frontend, "via Frontend Transport" after the id',
    'from mail.contoso.com (198.51.100.23) by CO1NAM11FT012.mail.protection.outlook.com (10.13.174.123) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.4566.14 via Frontend Transport; Wed, 29 Sep 2021 10:00:00 +0000',
    { ip: '198.51.100.23', rdns: null, helo: 'mail.contoso.com', by: 'co1nam11ft012.mail.protection.outlook.com', protocol: 'SMTP', id: '15.20.4566.14', format: 'exchange' },
  ],
  [
    'Exim 4.9x, port= and an IPv6-literal helo= with no rDNS',
    'from [2001:db8::1] (port=51234 helo=[IPv6:2001:db8::1]) by mail.example.org with esmtpsa (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.94.2) (envelope-from <a@example.org>) id 1mVabc-0001xY-Ab for b@example.com; Wed, 29 Sep 2021 12:00:00 +0200',
    { ip: '2001:db8::1', rdns: null, helo: '[ipv6:2001:db8::1]', auth: 'esmtpsa', format: 'exim' },
  ],
  [
    'the contract example: IP-literal HELO differing from the connecting address',
    'from [10.0.0.1] (mail.x.example [203.0.113.5]) by mx.example.net (Postfix) with ESMTP id 1A2B3C',
    { ip: '203.0.113.5', rdns: 'mail.x.example', helo: '[10.0.0.1]', date: null },
  ],
  [
    'an IP in the HELO name is not the connecting address',
    'from 198.51.100.99 (unknown [203.0.113.7]) by mx.example.net (Postfix) with SMTP id 77; Mon, 1 Mar 2021 10:00:00 +0000',
    { ip: '203.0.113.7', rdns: null, helo: '198.51.100.99' },
  ],
  [
    'IPv6 literal with a zone id',
    'from relay.example (relay.example [2a01:111:f400::5%eth0]) by mx.example.net (Postfix) with ESMTPS id 9',
    { ip: '2a01:111:f400::5', rdns: 'relay.example' },
  ],
  [
    'IPv4-mapped IPv6 literal',
    'from relay.example (relay.example [::ffff:203.0.113.9]) by mx.example.net with ESMTP',
    { ip: '203.0.113.9' },
  ],
  [
    'IPv6: prefix with upper-case hex',
    'from relay.example (relay.example [IPv6:2001:DB8::1]) by mx.example.net with ESMTP',
    { ip: '2001:db8::1' },
  ],
  [
    'empty literal means no address (spam/rspamd/rcvd7.eml)',
    'from forward106p.mail.test.net (forward106p.mail.test.net []) by mx7.mail.testler.ru (Postfix) with ESMTP id 9B38C6E043A for <test@test.com>; Mon, 27 Apr 2020 19:45:05 +0300 (MSK)',
    { ip: null, rdns: 'forward106p.mail.test.net', by: 'mx7.mail.testler.ru' },
  ],
  [
    'empty literal marked verified (spam/rspamd/rcvd7.eml)',
    'from mx7.mail.testler.ru ([] verified) by mail2006.testler.ru (testlerMail 6.1 SMTP 6.1a7) with ESMTP id 60578244 for test@test.com; Mon, 27 Apr 2020 19:45:05 +0300',
    { ip: null, by: 'mail2006.testler.ru', for: 'test@test.com' },
  ],
  [
    '0.0.0.0 means no address (spam/rspamd/yand_forward.eml)',
    'from mx7.test.ru ([0.0.0.0] verified) by mail.test.ru (test mail) with ESMTP id 60578244 (envelope-from <test@test.net>) for test@test.ru; Mon, 27 Apr 2020 19:45:05 +0300',
    { ip: null, by: 'mail.test.ru', id: '60578244', for: 'test@test.ru' },
  ],
  [
    'Postfix "Authenticated sender" comment',
    'from bar.example.org (bar.example.org [198.51.100.4]) (Authenticated sender: sender.example.net) by foo.example.net (Postfix) with ESMTP id 44A8959ED6B0',
    { ip: '198.51.100.4', auth: 'Authenticated sender: sender.example.net', protocol: 'ESMTP' },
  ],
  [
    'LMTPSA protocol is authenticated',
    'from client.example (client.example [198.51.100.5]) by store.example with LMTPSA id 5',
    { auth: 'LMTPSA' },
  ],
  [
    'webmail over HTTP: bare client IP, no HELO (spam/spamassassin/004.eml)',
    'from 144.137.3.98 (SquirrelMail authenticated user jmmail) by jmason.org with HTTP; Thu, 6 Dec 2001 09:21:06 -0000 (GMT)',
    { ip: '144.137.3.98', helo: null, by: 'jmason.org', protocol: 'HTTP', auth: 'HTTP', date: '2001-12-06T09:21:06.000Z' },
  ],
  [
    '"Received: apparently" junk (spam/rspamd/received1.eml)',
    'apparently',
    { ip: null, rdns: null, helo: null, by: null, protocol: null, id: null, auth: null, for: null, date: null, format: 'generic' },
  ],
  [
    'nested comments and upper-case keywords',
    'FROM host.example (rdns.example [198.51.100.6] (may be (very) forged)) BY mx.example ID 434B508E.174A6.13932 ; 11 Oct 2005 01:41:34 -0400',
    { ip: '198.51.100.6', rdns: 'rdns.example', helo: 'host.example', by: 'mx.example', id: '434B508E.174A6.13932', date: '2005-10-11T05:41:34.000Z' },
  ],
  [
    'leftover folding: CR, LF and tabs inside the value',
    'from host.example (rdns.example\r\n\t[198.51.100.7])\r\n\tby mx.example (Postfix)\r\n with ESMTP id X1;\r\n\tMon, 1 Mar 2021 10:00:00 +0000',
    { ip: '198.51.100.7', rdns: 'rdns.example', by: 'mx.example', id: 'X1', date: '2021-03-01T10:00:00.000Z' },
  ],
  [
    'trailing dots on every name',
    'from helo.example. (rdns.example. [198.51.100.8]) by mx.example. with ESMTP',
    { rdns: 'rdns.example', helo: 'helo.example', by: 'mx.example' },
  ],
];

describe('Received parser: formats', () => {
  for (const [label, value, expected] of CASES) {
    it(label, () => {
      const hop = parseReceived(value, 2);
      expect(hop.index).to.equal(2);
      const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, hop[k as keyof Hop]]));
      expect(picked).to.deep.equal(expected);
    });
  }

  it('keeps the unfolded value as raw', () => {
    const hop = parseReceived('from a\r\n\t(b [198.51.100.1])\r\n by c', 0);
    expect(hop.raw).to.equal('from a (b [198.51.100.1]) by c');
  });

  it('returns null for a date that does not parse, and for a 31st of February', () => {
    expect(parseReceived('from a ([198.51.100.1]) by b; Sun, 7 Jun 2015 21: 10:16 +0200', 0).date).to.equal(null);
    expect(parseReceived('from a ([198.51.100.1]) by b; 31 Feb 2015 10:00:00 +0000', 0).date).to.equal(null);
    expect(parseReceived('from a ([198.51.100.1]) by b; Sun Nov 13 14:50:12 2005', 0).date).to.equal('2005-11-13T14:50:12.000Z');
  });
});
