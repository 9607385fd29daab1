// package: he
// expect: foo &#xA9; bar &#x2260; baz &#x1D306; &#x3C; <p>café 𝌆 &amp; &lt;&quot;&#x27;&amp;&gt;
const he = require('he');
console.log(he.encode('foo © bar ≠ baz 𝌆 <'), he.decode('&lt;p&gt;caf&eacute; &#x1D306; &amp;amp;'), he.escape('<"\'&>'));
