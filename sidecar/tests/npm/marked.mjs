// package: marked
// expect: "<h1>Title</h1>\n<p>Some <em>emphasis</em> and <code>code</code>.</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
import { marked } from 'marked';
console.log(JSON.stringify(marked.parse('# Title\n\nSome *emphasis* and `code`.\n\n- a\n- b\n')));
