// package: escape-html
// expect: &lt;script&gt;alert(&quot;x &amp; y&quot;)&lt;/script&gt;&#39;
const escapeHtml = require('escape-html');
console.log(escapeHtml('<script>alert("x & y")</script>\''));
