// package: express
// expect: function demo 2 /items/:id
const express = require('express');
const app = express();
const router = express.Router();
router.get('/items/:id', (req, res) => res.json({ id: req.params.id }));
app.use(express.json());
app.use('/api', router);
app.set('title', 'demo');
console.log(typeof app.listen, app.get('title'), app.router.stack.length, router.stack[0].route.path);
