// package: vue
// expect: <div><!--[--><span>x</span><span>y</span><!--]--> 2*2=4</div>
const { createSSRApp, ref, computed } = require('vue');
const { renderToString } = require('vue/server-renderer');
const app = createSSRApp({
  setup() {
    const n = ref(2);
    const doubled = computed(() => n.value * 2);
    return { n, doubled, items: ['x', 'y'] };
  },
  template: '<div><span v-for="i in items">{{ i }}</span> {{ n }}*2={{ doubled }}</div>',
});
renderToString(app).then((html) => console.log(html));
