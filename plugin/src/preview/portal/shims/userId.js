// @salesforce/user/Id: the signed-in user's id, which the server writes into the shell page.
// eslint-disable-next-line @lwc/lwc/no-document-query -- the page's head, written by the server
const meta = typeof document === 'undefined' ? null : document.querySelector('meta[name="cpq-user-id"]');
export default meta ? meta.getAttribute('content') : undefined;
