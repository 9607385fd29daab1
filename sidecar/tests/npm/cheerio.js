// package: cheerio
// expect: 2 x y ONE+two <li class="x y">ONE</li>
const cheerio = require('cheerio');
const $ = cheerio.load('<ul id="l"><li class="x">one</li><li>two</li></ul>');
$('li.x').addClass('y').text('ONE');
console.log($('li').length, $('#l li').first().attr('class'), $('li').map((i, el) => $(el).text()).get().join('+'), $.html('li.x'));
