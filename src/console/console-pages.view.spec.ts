import { sameName } from './console-pages.view.js';

describe('typed name against the certificate', () => {
  it.each([
    ['Әлиев Нұрлан', 'ӘЛИЕВ НҰРЛАН', 'СЕРІКҰЛЫ', true],
    ['Әлиев  Нұрлан Серікұлы', 'ӘЛИЕВ НҰРЛАН', 'СЕРІКҰЛЫ', true],
    ['Нұрлан Әлиев', 'ӘЛИЕВ НҰРЛАН', null, true],
    ['Семёнов Пётр', 'СЕМЕНОВ ПЕТР', null, true],
    ['Иванова Анна', 'ИВАНОВА МАРИЯ', null, false],
    ['Әлиев Нұрлан Ерланұлы', 'ӘЛИЕВ НҰРЛАН', 'СЕРІКҰЛЫ', false],
  ])('%j vs %j (%j): %s', (typed, cn, patronymic, same) => {
    expect(sameName(typed, cn, patronymic)).toBe(same);
  });
});
