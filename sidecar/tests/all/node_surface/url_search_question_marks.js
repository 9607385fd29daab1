// A URL's query keeps a second '?' as data in its searchParams (only the constructor's input skips one).
const m = new URL('http://example.org');
for (const input of ['?a', '??a=b', '?a=b']) {
  m.search = `?${input}`;
  console.log(JSON.stringify(input), JSON.stringify(m.search), String(m.searchParams), m.href);
}
console.log(new URL('http://x/??a=1').searchParams.get('?a'), new URLSearchParams('??a=1').get('?a'));
