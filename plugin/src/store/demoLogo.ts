/**
 * The demo's reseller logo (Fjord IT Partners, r-nordic): a 200 x 48 PNG drawn by a throwaway script (a wave mark
 * and "FJORD IT" in a 5 x 7 pixel font), committed as base64 so the built plugin carries it without a file copy.
 */
export const DEMO_LOGO_ACCOUNT_ID = 'r-nordic';
export const DEMO_LOGO_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAMgAAAAwCAIAAADb+6K9AAABMUlEQVR42u3bsQ3CMBBAUXpahmAMKqZgLpZgEYagZAqa0FFgcBLnYiXO+7oyFsF6gmCJXSfN0M4WCCyBJbAksLRCWPfnq9rYerDAElgCS2DVg3U4nodP5o2NWhV1cfiqiYXf4fBbBQsssMDaFKzT9ZEfsMCK9JQX1rsX4Ztb9lrpNTVXVdiEme5nNKwCTz8HrA3BSj9gohiBBValAQsssMACCyywwAKrZ/aX278BC6wuXFXG1pQD0oXAKjt+BCuAVIYXWGAFqEptgQVWAKmUF1hgRar6TEsP71FomoWV+REXSAqsLcL6+s6KxQQWWLMPWGCtAFaZnvCjTg/vYIEFFlhggQVWmw/vZaepFY46l/9nCrDAAgsssMACq2VYaiOwBJbAAgssCSyBJbAksASWNtsbQImlHBleURAAAAAASUVORK5CYII=';
