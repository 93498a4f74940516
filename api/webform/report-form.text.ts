/**
 * Every word the public report form and the reporter's pages show, in one place, so that they can
 * be reviewed together and translated later (the sender portal's i18n works the same way).
 */

/** A size for people: 26214400 → "25 MB" (binary megabytes, which is what mail clients call MB). */
export function sizeInWords(bytes: number): string {
  const MB = 1024 * 1024;
  if (bytes >= MB) return `${Number.isInteger(bytes / MB) ? bytes / MB : (bytes / MB).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.floor(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

export const CATEGORY_LABELS = { spam: 'Spam', phishing: 'Phishing', malware: 'Malware', scam: 'Scam / fraud', other: 'Other abuse' } as const;

const labelList = Object.values(CATEGORY_LABELS).join(', ');

export const ERRORS = {
  emailMissing: 'enter your email address',
  emailTooLong: 'at most 254 characters',
  emailInvalid: 'enter a valid email address, like name@example.com',
  /** The form shows the labels people chose from; the JSON API names the values it takes. */
  categoryForm: `choose one of: ${labelList}`,
  categoryApi: `choose one of: ${Object.keys(CATEGORY_LABELS).join(', ')}`,
  descriptionNotText: 'must be text',
  descriptionTooLong: (max: number) => `at most ${max} characters`,
  descriptionControls: 'must not contain control characters such as NUL',
  sourceNotText: 'the pasted message must be text',
  both: 'upload a file or paste the message, not both',
  none: 'upload the .eml file or paste the message headers',
  tooLarge: (maxBytes: number) => `the message is larger than ${sizeInWords(maxBytes)}`,
  binary: 'this is not a message: it contains binary data',
  notAMessage: 'this does not look like a message: it must start with a header line such as "Received: …" or "From: …"',
  wrongFileType: 'upload a message (.eml) or a text file',
};

export const FORM = {
  title: 'Report spam or abuse',
  intro: 'Send us a message you received that is spam, phishing, malware or a scam. We use the message headers to find where it came from.',
  correctOne: 'Please correct the field below.',
  correctMany: (n: number) => `Please correct ${n} fields below.`,
  email: 'Your email address',
  category: 'What is it?',
  choose: 'Choose…',
  description: 'Description (optional)',
  messageLegend: 'The message',
  upload: (maxBytes: number) => `Upload the message as an .eml file (up to ${sizeInWords(maxBytes)})`,
  or: 'or',
  paste: 'Paste the full headers or the message source',
  honeypot: 'Leave this empty',
  submit: 'Send report',
  headersHelpSummary: 'How do I get the message file or its headers?',
  /** [mail client, what to do]: keep each to one line a person can follow. */
  headersHelp: [
    ['Gmail', 'Open the message, choose ⋮ (More) → "Download message" for an .eml file, or "Show original" → "Copy to clipboard" and paste it here.'],
    ['Outlook on the web, Outlook.com', 'Open the message, choose … (More actions) → View → "View message source", copy it all and paste it here.'],
    ['Outlook for Windows', 'Open the message in its own window, File → Properties, copy the "Internet headers" box and paste it here.'],
    ['Apple Mail', 'Select the message, File → "Save As…" with format "Raw Message Source", then upload that file; or View → Message → Raw Source and copy it.'],
    ['Thunderbird', 'Select the message, File → Save As → File (.eml) and upload it; or press Ctrl+U (⌘U) and copy the source.'],
    ['Yahoo Mail', 'Open the message, choose … (More) → "View raw message", copy it all and paste it here.'],
  ] as const,
  headersHelpForward: 'Forwarding the message to us as an attachment works too, if you know our report address.',
  privacyTitle: 'Privacy',
  privacy: (retentionDays: number, pseudonymiseDays: number) =>
    `We keep your email address, the message you send and your description to investigate the abuse and to act against its sender. ` +
    `After ${pseudonymiseDays} days your email address is replaced by a code that cannot be turned back into it, and after ` +
    `${retentionDays} days the message itself is deleted. What we found about the sender (where the message came from) is kept ` +
    `to follow that sender over time.`,
};

export const CONFIRMATION = {
  title: 'Report received',
  heading: 'Thank you — your report was received',
  trackingId: 'Your tracking id is',
  quote: 'Quote it if you contact us about this report.',
  followStatus: 'Follow what happens to it',
  another: 'Report another message',
  // Reporter trust (docs/reputation.md): a web report counts once its address is confirmed.
  mailed: 'We mailed a confirmation link to',
  mailedNext: 'Open it within 24 hours and press Confirm: until then your report is kept and read, but it does not count towards blocking the sender.',
  notMailed: 'We could not mail you a confirmation link:',
  notMailedNext: 'Your report is kept and read by our analysts as unverified.',
};

export const PAGES = {
  expiredTitle: 'Form expired',
  expired: 'The form expired or did not come from this site. Reload the form and send it again.',
  notAcceptedTitle: 'Report not accepted',
  automated: 'This submission looks automated and was not accepted.',
  tooManyTitle: 'Too many reports',
  laterTitle: 'Please try again later',
  brokenTitle: 'Something went wrong',
  broken: 'Your report was not stored. Please try again later.',
  back: 'Back to the report form',
};

/** The reporter's status page (/report/status/:id); the outcome sentences are in reporter-outcome.ts. */
export const STATUS = {
  title: 'Your report',
  trackingId: 'Tracking id',
  received: 'Received',
  processed: 'Read and recorded',
  notYet: 'Waiting to be read',
  stuck: 'Not read yet: a problem on our side',
  whatHappened: 'What happened',
  checkAgain: 'Check again',
  another: 'Report another message',
  badIdTitle: 'Not a tracking id',
  badId: 'A tracking id looks like 6f1c2d4e-8a5b-4c3d-9e2f-0a1b2c3d4e5f. Check that you copied all of it.',
  unknownTitle: 'No such report',
  unknown: 'We have no report with this tracking id. Check that you copied all of it.',
  slowDownTitle: 'Too many look-ups',
  slowDown: 'You looked up many reports in a short time. Wait a few minutes and try again.',
  unavailableTitle: 'Please try again later',
  unavailable: 'We cannot show the status of your report right now. Your report is not affected; try again in a few minutes.',
};
