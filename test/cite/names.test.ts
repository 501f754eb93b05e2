import { describe, expect, it } from 'vitest';
import { citedName, surname } from '../../src/cite/names.js';

describe('splitting a printed name', () => {
  it('takes a lower-case particle with the family name: "Julius von Kügelgen"', () => {
    expect(citedName('Julius von Kügelgen')).toMatchObject({ given: 'Julius', particle: 'von', family: 'Kügelgen', suffix: '' });
    expect(citedName('Jan van der Berg')).toMatchObject({ given: 'Jan', particle: 'van der', family: 'Berg' });
    expect(citedName('Juan Carlos de la Cruz')).toMatchObject({ given: 'Juan Carlos', particle: 'de la', family: 'Cruz' });
    expect(citedName('van Gogh')).toMatchObject({ given: '', particle: 'van', family: 'Gogh' });
  });

  it('splits an inverted name ("von Kügelgen, Julius") as it splits the same name printed given names first', () => {
    expect(citedName('von Kügelgen, Julius')).toMatchObject({ given: 'Julius', particle: 'von', family: 'Kügelgen', suffix: '' });
    expect(citedName('van der Berg, Jan')).toMatchObject({ given: 'Jan', particle: 'van der', family: 'Berg' });
    expect(citedName('De Sousa Ribeiro, Fabio')).toMatchObject({ given: 'Fabio', particle: '', family: 'De Sousa Ribeiro' });
  });

  it('reads "Fabio De Sousa Ribeiro" as the family name "De Sousa Ribeiro"', () => {
    // A capitalised "De" belongs to the family name (CSL's rule for particles, which @citation-js/name follows),
    // and it is how he publishes: his own papers list "De Sousa Ribeiro, F.", and the page never prints "Ribeiro" alone.
    // So APA gives "De Sousa Ribeiro, F." (not "Ribeiro, F. D. S.") and the key starts "desousaribeiro".
    expect(citedName('Fabio De Sousa Ribeiro')).toMatchObject({ given: 'Fabio', particle: '', family: 'De Sousa Ribeiro' });
    expect(citedName('Alessandro Di Stefano')).toMatchObject({ given: 'Alessandro', family: 'Di Stefano' });
  });

  it('takes a suffix off before splitting, with or without a comma', () => {
    expect(citedName('John Smith Jr.')).toMatchObject({ given: 'John', family: 'Smith', suffix: 'Jr.' });
    expect(citedName('Martin Luther King, Jr.')).toMatchObject({ given: 'Martin Luther', family: 'King', suffix: 'Jr.' });
    expect(citedName('Henry Ford II')).toMatchObject({ given: 'Henry', family: 'Ford', suffix: 'II' });
    expect(citedName('Smith, Jr. John')).toMatchObject({ given: 'John', family: 'Smith', suffix: 'Jr.' });
  });

  it('keeps hyphenated and abbreviated given names whole', () => {
    expect(citedName('Jean-Luc  Picard')).toMatchObject({ given: 'Jean-Luc', family: 'Picard' });
    expect(citedName('Philipp M. Faller')).toMatchObject({ given: 'Philipp M.', family: 'Faller' });
  });

  it('keeps a lower-case word that is no particle in the given names, and one-word names whole', () => {
    expect(citedName('Research and Development Team')).toMatchObject({ given: 'Research and Development', particle: '', family: 'Team' });
    expect(citedName("O'Neil Smith")).toMatchObject({ given: "O'Neil", family: 'Smith' });
    expect(citedName('Plato')).toMatchObject({ given: '', particle: '', family: 'Plato' });
    expect(citedName('Jr.')).toMatchObject({ family: 'Jr.', suffix: '' });
  });

  it('writes the surname from the parts', () => {
    const name = citedName('Martin  Luther von King III');
    expect(surname(name)).toBe('von King');
  });
});
