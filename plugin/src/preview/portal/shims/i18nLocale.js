// @salesforce/i18n/locale: the signed-in user's locale, which the server writes as the shell page's
// <html lang> (in an org, Salesforce answers the user's locale setting). cpqUtils writes dates and amounts
// with it, and lightning-base-components read it too.
const lang = typeof document === 'undefined' ? '' : document.documentElement.lang;
export default /^[a-z]{2,3}-[A-Z]{2}$/.test(lang) ? lang : 'en-US';
