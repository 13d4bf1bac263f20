//! Reading a command's arguments: options take their value as `--name VALUE` or `--name=VALUE`.

/// One argument.
pub enum Arg<'a> {
    /// Something starting with `-`, with the value written after its `=`, if any. Whether it
    /// takes a value is for the command to say (through [`Args::value`]).
    Option {
        name: &'a str,
        inline: Option<&'a str>,
    },
    /// Anything else: a file.
    Operand(&'a str),
}

/// The arguments after the command name, read front to back.
pub struct Args<'a> {
    rest: std::slice::Iter<'a, String>,
}

impl<'a> Args<'a> {
    pub fn new(args: &'a [String]) -> Self {
        Args { rest: args.iter() }
    }

    /// The value of the option `name` just read: the text after its `=`, or else the next
    /// argument. `what` describes the value for the usage error when it is missing or empty.
    pub fn value(
        &mut self,
        name: &str,
        inline: Option<&'a str>,
        what: &str,
    ) -> Result<&'a str, String> {
        match inline.or_else(|| self.rest.next().map(String::as_str)) {
            Some(value) if !value.is_empty() => Ok(value),
            _ => Err(format!("{name} needs {what}")),
        }
    }
}

impl<'a> Iterator for Args<'a> {
    type Item = Arg<'a>;

    fn next(&mut self) -> Option<Arg<'a>> {
        let arg = self.rest.next()?.as_str();
        Some(if arg.starts_with('-') && arg.len() > 1 {
            match arg.split_once('=') {
                Some((name, value)) => Arg::Option {
                    name,
                    inline: Some(value),
                },
                None => Arg::Option {
                    name: arg,
                    inline: None,
                },
            }
        } else {
            Arg::Operand(arg)
        })
    }
}
