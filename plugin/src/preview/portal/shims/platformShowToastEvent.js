/**
 * lightning/platformShowToastEvent: the event an org's ShowToastEvent is ('lightning__showtoast', bubbles,
 * composed, the config { title, message, messageData, variant, mode } as detail). The portal shell catches
 * it and shows an SLDS toast. (LBC's own lightning/showToastEvent wants `label`, not the platform's `title`.)
 */
export class ShowToastEvent extends CustomEvent {
  constructor(config) {
    super('lightning__showtoast', { bubbles: true, cancelable: true, composed: true, detail: config ?? {} });
  }
}
