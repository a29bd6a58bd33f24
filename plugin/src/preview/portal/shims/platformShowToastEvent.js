// lightning/platformShowToastEvent: the same event as in an org ('lightning__showtoast', bubbles, composed);
// the portal shell catches it and shows an SLDS toast.
export { ShowToastEvent } from 'lightning/showToastEvent';
