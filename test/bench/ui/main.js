// The UI bench's page: plain lightning-datatable with a quote's lines (test/bench/ui.bench.ts).
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import Datatable from 'bench/datatable';

// eslint-disable-next-line @lwc/lwc/no-document-query -- the bench page's own root
document.getElementById('bench-root').appendChild(createElement('bench-datatable', { is: Datatable }));
